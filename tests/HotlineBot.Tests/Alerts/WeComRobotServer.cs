using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using HotlineBot.Tests.Integration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HotlineBot.Tests.Alerts;

/// <summary>
/// A WeCom group robot on real Kestrel on a free loopback port: POST /cgi-bin/webhook/send?key=… records the
/// JSON and answers <c>{"errcode":0,"errmsg":"ok"}</c>, or, for the first few posts, a failure (HTTP 500,
/// then errcode 45009 "over the rate") to be retried.
/// </summary>
public sealed class WeComRobotServer : IAsyncDisposable
{
    public const string Key = "test-robot-key";

    private readonly ConcurrentQueue<JsonObject> _accepted = new();
    private readonly int _failFirst;
    private int _attempts;
    private WebApplication? _app;

    private WeComRobotServer(int failFirst) => _failFirst = failFirst;

    /// <summary>The webhook URL, as Hotline:Alerts:WeComRobotUrl.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Every POST, failed ones included.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>The messages it answered errcode 0 to.</summary>
    public IReadOnlyList<JsonObject> Accepted => [.. _accepted];

    /// <summary>The markdown contents it accepted.</summary>
    public IReadOnlyList<string> Contents => [.. Accepted.Select(m => (string?)m["markdown"]?["content"] ?? string.Empty)];

    /// <summary>Starts it; the first <paramref name="failFirst"/> posts fail (odd ones HTTP 500, even ones errcode ≠ 0).</summary>
    public static async Task<WeComRobotServer> StartAsync(int failFirst = 0)
    {
        var server = new WeComRobotServer(failFirst);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = Path.GetTempPath() });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        server._app = builder.Build();
        server._app.MapPost("/cgi-bin/webhook/send", server.ReceiveAsync);
        await server._app.StartAsync(TestContext.Current.CancellationToken);
        server.Url = new Uri(new Uri(server._app.Urls.Single()), "/cgi-bin/webhook/send?key=" + Key);
        return server;
    }

    /// <summary>Waits (polling briefly) until an accepted message's content matches; the contents that match.</summary>
    public Task<IReadOnlyList<string>> WaitForAsync(Func<string, bool> match, TimeSpan timeout, CancellationToken cancellationToken) =>
        Polling.MatchesAsync(() => Contents, match, timeout, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        var attempt = Interlocked.Increment(ref _attempts);
        if (request.Query["key"] != Key || await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted) is not JsonObject body)
        {
            return Results.Json(new JsonObject { ["errcode"] = 93000, ["errmsg"] = "invalid webhook url" });
        }

        if (attempt <= _failFirst)
        {
            return attempt % 2 == 1
                ? Results.StatusCode(StatusCodes.Status500InternalServerError)
                : Results.Json(new JsonObject { ["errcode"] = 45009, ["errmsg"] = "api freq out of limit" });
        }

        _accepted.Enqueue(body);
        return Results.Json(new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok" });
    }
}
