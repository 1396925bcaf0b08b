using System.Text.Json;

// POST /api/messages answers {"activities": [the posted JSON]}: the same request and a response of
// the same shape as the bot's expectReplies turn, with no bot behind it.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
app.MapPost("/api/messages", async (HttpRequest request) =>
{
    using var activity = await JsonDocument.ParseAsync(request.Body);
    return Results.Json(new { activities = new[] { activity.RootElement.Clone() } });
});
await app.RunAsync();
