using HotlineBot.Commands;
using HotlineBot.Extensions;

// `eval FILE [--data DIR] [--min P]` and `calibrate` are the admins' checks; with no command the
// host answers questions typed on the console.
var command = HostCommand.Parse(args);
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddKnowledge();
using var host = builder.Build();
return await command.RunAsync(host.Services, Console.Out, Console.In);
