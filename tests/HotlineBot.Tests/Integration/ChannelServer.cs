using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HotlineBot.Tests.Integration;

/// <summary>What the channel received: the conversation and replyToId from the URL, and the activity as JSON.</summary>
public sealed record ChannelPost(string ConversationId, string? ReplyToId, JsonObject Activity);

/// <summary>
/// A small Bot Connector "channel" on real Kestrel on a free loopback port: it records every activity the
/// bot POSTs to /v3/conversations/{id}/activities[/{replyToId}] and answers {"id": ...} like a channel.
/// </summary>
public sealed class ChannelServer : IAsyncLifetime
{
    private readonly ConcurrentQueue<ChannelPost> _received = new();
    private WebApplication? _app;

    /// <summary>The serviceUrl to put on activities, e.g. http://127.0.0.1:PORT/.</summary>
    public Uri ServiceUrl { get; private set; } = null!;

    public IReadOnlyList<ChannelPost> Received => [.. _received];

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = Path.GetTempPath() });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.MapPost("/v3/conversations/{conversationId}/activities/{replyToId}", (string conversationId, string replyToId, HttpRequest request) =>
            RecordAsync(conversationId, replyToId, request));
        _app.MapPost("/v3/conversations/{conversationId}/activities", (string conversationId, HttpRequest request) =>
            RecordAsync(conversationId, null, request));
        await _app.StartAsync(TestContext.Current.CancellationToken);
        ServiceUrl = new Uri(_app.Urls.Single());
    }

    /// <summary>Waits (polling briefly) until the channel holds a post that matches; those that match.</summary>
    public Task<IReadOnlyList<ChannelPost>> WaitForAsync(Func<ChannelPost, bool> match, TimeSpan timeout, CancellationToken cancellationToken) =>
        Polling.MatchesAsync(() => Received, match, timeout, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task<IResult> RecordAsync(string conversationId, string? replyToId, HttpRequest request)
    {
        var activity = await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
        if (activity is not JsonObject body)
        {
            return Results.BadRequest();
        }

        _received.Enqueue(new ChannelPost(conversationId, replyToId, body));
        return Results.Json(new JsonObject { ["id"] = "channel-" + Guid.NewGuid().ToString("N")[..8] });
    }
}
