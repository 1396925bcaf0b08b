using System.Net;
using HotlineBot.Tests.Integration;
using HotlineBot.Tests.Storage;

namespace HotlineBot.Tests.ScaleOut;

/// <summary>
/// A redis-server crash and restart in the middle of a scaled-out run, through the real host: while Redis is
/// away every request is answered (the worker with an apology, the rest with 503 and Retry-After, never a
/// 500), the host heals by itself, and nothing confirmed before the crash is lost, for this instance or a new one.
/// </summary>
[Collection(typeof(RedisRestarts))]
public sealed class RedisRestartHostTests(RedisServer redis)
{
    /// <summary>Long enough for the probes below (each fails fast, in milliseconds) to run while Redis is away.</summary>
    private static readonly TimeSpan Downtime = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task WhileRedisRestarts_NothingAnswers500_ThenTheHostRecoversByItself_WithNothingLost()
    {
        _ = redis.Connection;
        await using var host = await ScaledOutHost.StartAsync(redis, RedisServer.NewPrefix());
        var before = await host.ConfirmARunAsync();

        var restart = redis.RestartAsync(Downtime);
        try
        {
            Assert.Equal("state store unreachable", (string?)(await host.PollHealthAsync(HttpStatusCode.ServiceUnavailable))["status"]);

            // The worker waiting at the callback-time question answers it: an apology, not an error page.
            using (var turn = await BotClient.PostAsync(host.Host.Client, BotClient.Message(ScaledOutHost.CallbackTime, before.PendingConversationId), TestContext.Current.CancellationToken))
            {
                var reply = Assert.Single(BotClient.Messages((await ScaledOutHost.ReadAsync(turn, HttpStatusCode.OK))["activities"]!.AsArray().Select(a => a!.AsObject())));
                Assert.Equal("fallback", BotClient.Kind(reply));
                Assert.StartsWith("抱歉，系统刚才出了点问题", (string?)reply["text"], StringComparison.Ordinal);
            }

            using (var chatToken = await host.SendAsync(HttpMethod.Post, "/api/chat/token", token: null))
            {
                await AssertUnavailableAsync(chatToken);
            }

            using (var cases = await host.SendAsync(HttpMethod.Get, "/api/cases", before.OperatorToken))
            {
                await AssertUnavailableAsync(cases);
            }

            using (var entry = await host.SendAsync(HttpMethod.Get, $"/api/knowledge/{before.KnowledgeId}", before.AdminToken))
            {
                await AssertUnavailableAsync(entry);
            }

            using (var signIn = await host.SendAsync(HttpMethod.Post, "/api/auth/token", token: null, new { username = ScaledOutHost.OperatorUser, password = ScaledOutHost.OperatorPassword }))
            {
                await AssertUnavailableAsync(signIn);
            }

            using (var chatHistory = await host.SendAsync(HttpMethod.Get, $"/v3/directline/conversations/{before.Chat.ConversationId}/activities", before.Chat.Token))
            {
                await AssertUnavailableAsync(chatHistory);
            }
        }
        finally
        {
            // Whatever a probe found, the shared server is back before the next test.
            await restart;
        }

        Assert.Equal("ok", (string?)(await host.PollHealthAsync(HttpStatusCode.OK))["status"]);
        await host.AssertNothingLostAsync(before);
    }

    [Fact]
    public async Task AfterARedisCrash_ANewInstance_FindsEverythingConfirmedBeforeIt()
    {
        _ = redis.Connection;
        var prefix = RedisServer.NewPrefix();
        await using var first = await ScaledOutHost.StartAsync(redis, prefix);
        var before = await first.ConfirmARunAsync();

        // A crash: no final save; only what the append-only file holds comes back.
        await redis.RestartAsync(TimeSpan.FromMilliseconds(200));

        await using var second = await ScaledOutHost.StartAsync(redis, prefix);
        await second.AssertNothingLostAsync(before);

        // The instance that lived through the crash heals and still hears of the others' edits.
        Assert.Equal("ok", (string?)(await first.PollHealthAsync(HttpStatusCode.OK))["status"]);
        await first.AwaitAnswerCarryingAsync(await second.EditKnowledgeAsync(before, version: 1));
    }

    [Fact]
    public async Task WithRedisUnreachable_TheHostDoesNotStart_AndSaysWhichSetting()
    {
        var dataDirectory = TempDataDirectory.Create();
        try
        {
            var port = ClosedPort();
            var settings = ScaledOutHost.Settings($"127.0.0.1:{port},connectTimeout=1000", RedisServer.NewPrefix());
            var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                await using var host = await HotlineHost.StartAsync(dataDirectory, settings, TestContext.Current.CancellationToken);
            });

            var chain = string.Join(" <- ", Chain(failure).Select(e => $"{e.GetType().Name}: {e.Message}"));
            Assert.Contains("ConnectionStrings:Redis", chain, StringComparison.Ordinal);
            Assert.Contains($"127.0.0.1:{port}", chain, StringComparison.Ordinal);
        }
        finally
        {
            TempDataDirectory.Delete(dataDirectory);
        }
    }

    /// <summary>Redis is away: 503 with Retry-After and the "unavailable" body, which says what to do.</summary>
    private static async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        var body = await ScaledOutHost.ReadAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("unavailable", (string?)body["error"]);
        Assert.Contains("12351", (string?)body["message"], StringComparison.Ordinal);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.Skip(1).SelectMany(Chain))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>A loopback port nothing listens on: one the system just handed out and took back.</summary>
    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
