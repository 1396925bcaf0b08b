using HotlineBot.Commands;
using HotlineBot.Extensions;

// With no command HotlineBot serves the Bot Framework endpoint (http://localhost:3978 unless --urls
// says otherwise); `eval`, `calibrate` and `ask` are the admins' checks on the console.
var command = HostCommand.Parse(args);
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = command is null ? args : [],
    ContentRootPath = AppContext.BaseDirectory,
});
if (command is not null)
{
    // The console is the command's report: logs stay out of it.
    builder.Logging.ClearProviders().AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    builder.Configuration["Logging:LogLevel:Default"] = nameof(LogLevel.Warning);
    command.Configure(builder);
}

builder.AddHotline();
await using var app = builder.Build();
if (command is not null)
{
    return await command.RunAsync(app.Services, Console.Out, Console.In);
}

app.MapHotline();
await app.RunAsync();
return 0;
