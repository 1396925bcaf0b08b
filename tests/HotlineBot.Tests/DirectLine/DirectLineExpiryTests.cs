using System.Net;
using HotlineBot.Tests.Integration;

namespace HotlineBot.Tests.DirectLine;

/// <summary>Tokens that expire, on a host configured with a two-second token lifetime.</summary>
public sealed class DirectLineExpiryTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private readonly string _dataDirectory = TempDataDirectory.Create();
    private HotlineHost? _host;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _host = await HotlineHost.StartAsync(
        _dataDirectory, new Dictionary<string, string?> { ["Hotline:DirectLine:TokenLifetime"] = "00:00:02" }, Cancellation);

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        TempDataDirectory.Delete(_dataDirectory);
    }

    [Fact]
    public async Task ExpiredToken_Is403TokenExpired_EverywhereItIsUsed_AndCannotBeRefreshed()
    {
        var client = new DirectLineClient(_host!.Client);
        var session = await client.ChatTokenAsync(Cancellation);
        Assert.InRange(session.ExpiresIn, 0, 2);

        // Waits (with a time-out) for the token to run out rather than assuming how long that takes.
        var deadline = DateTime.UtcNow + Wait;
        DirectLineResponse polled;
        while ((polled = await client.GetActivitiesAsync(session.ConversationId, session.Token, null, Cancellation)).Status != HttpStatusCode.Forbidden)
        {
            Assert.True(DateTime.UtcNow < deadline, "the token did not expire");
            await Task.Delay(200, Cancellation);
        }

        var conversations = $"{DirectLineClient.Base}/conversations";
        var refreshed = await client.SendAsync(HttpMethod.Post, DirectLineClient.Base + "/tokens/refresh", session.Token, null, Cancellation);
        var started = await client.SendAsync(HttpMethod.Post, conversations, session.Token, null, Cancellation);
        var posted = await client.SendAsync(HttpMethod.Post, $"{conversations}/{session.ConversationId}/activities", session.Token, DirectLineClient.WebChatMessage("你好", "late"), Cancellation);
        var resumed = await client.SendAsync(HttpMethod.Get, $"{conversations}/{session.ConversationId}?watermark=", session.Token, null, Cancellation);
        var streamed = await client.SendAsync(HttpMethod.Get, $"{conversations}/{session.ConversationId}/stream?t={session.Token}", null, null, Cancellation);

        Assert.All([polled, refreshed, started, posted, resumed, streamed], r =>
        {
            Assert.Equal(HttpStatusCode.Forbidden, r.Status);
            Assert.Equal("TokenExpired", r.ErrorCode);
        });
    }
}
