using System.Net;
using HotlineBot.Tests.Integration;

namespace HotlineBot.Tests.DirectLine;

/// <summary>The page's token endpoint is rate-limited per client; a live conversation's polling and posting never are.</summary>
public sealed class ChatTokenRateLimitTests : IAsyncLifetime
{
    /// <summary>The default: enough for reloads and a few tabs (at least 10 a minute).</summary>
    private const int TokensPerMinute = 30;

    private readonly string _dataDirectory = TempDataDirectory.Create();
    private HotlineHost? _host;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _host = await HotlineHost.StartAsync(_dataDirectory, Cancellation);

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        TempDataDirectory.Delete(_dataDirectory);
    }

    [Fact]
    public async Task ChatToken_Answers429PastTheLimit_WhilePollingAndPostingGoOn()
    {
        var client = new DirectLineClient(_host!.Client);
        var session = await client.ChatTokenAsync(Cancellation);
        await client.StartAsync(session.Token, Cancellation);

        // The session's token was the first; ask until refused (the window is a minute: far longer than this loop).
        var granted = 1;
        HttpResponseMessage refused;
        while (true)
        {
            var response = await _host!.Client.PostAsync(new Uri("/api/chat/token", UriKind.Relative), null, Cancellation);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                refused = response;
                break;
            }

            response.Dispose();
            granted++;
            Assert.True(granted <= 3 * TokensPerMinute, "no limit");
        }

        using (refused)
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
        }

        Assert.True(granted >= TokensPerMinute, $"only {granted} tokens before the limit");

        for (var i = 0; i < TokensPerMinute + 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetActivitiesAsync(session.ConversationId, session.Token, null, Cancellation)).Status);
        }

        var id = await client.PostAsync(session, DirectLineClient.WebChatMessage("你好", "after-limit"), Cancellation);
        await client.PollUntilAsync(session, null, a => a.Any(x => DirectLineClient.IsReplyTo(x, id)), TimeSpan.FromSeconds(15), Cancellation);
    }
}

/// <summary>The service keeps a bounded number of chat conversations: when full, new pages wait, open ones go on.</summary>
public sealed class ChatConversationCapTests : IDisposable
{
    private readonly string _dataDirectory = TempDataDirectory.Create();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose() => TempDataDirectory.Delete(_dataDirectory);

    [Fact]
    public async Task ChatToken_Answers503_WhenTheConversationCapIsReached_WhileOpenConversationsGoOn()
    {
        await using var host = await HotlineHost.StartAsync(_dataDirectory, new Dictionary<string, string?> { ["Hotline:DirectLine:MaxConversations"] = "10" }, Cancellation);
        var client = new DirectLineClient(host.Client);
        ChatSession? last = null;
        for (var i = 0; i < 10; i++)
        {
            last = await client.ChatTokenAsync(Cancellation);
            await client.StartAsync(last.Token, Cancellation);
        }

        var refused = await client.SendAsync(HttpMethod.Post, "/api/chat/token", null, null, Cancellation);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
        var id = await client.PostAsync(last!, DirectLineClient.WebChatMessage("加班费怎么算", "c1"), Cancellation);
        Assert.False(string.IsNullOrEmpty(id));
    }
}
