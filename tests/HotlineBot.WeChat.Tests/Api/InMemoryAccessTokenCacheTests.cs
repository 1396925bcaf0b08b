using HotlineBot.WeChat.Api;

namespace HotlineBot.WeChat.Tests.Api;

public sealed class InMemoryAccessTokenCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly TestClock _clock = new();

    [Fact]
    public async Task Callers_arriving_during_a_fetch_wait_for_it_and_share_its_token()
    {
        var cache = new InMemoryAccessTokenCache(_clock);
        var release = new TaskCompletionSource<AccessToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var fetches = 0;
        Task<AccessToken> Fetch(CancellationToken _)
        {
            Interlocked.Increment(ref fetches);
            return release.Task;
        }

        var callers = Enumerable.Range(0, 10).Select(_ => cache.GetOrFetchAsync("wx1", Fetch, Ct)).ToArray();
        release.SetResult(AccessToken.Issued("one", _clock.GetUtcNow(), TimeSpan.FromHours(2)));
        var tokens = await Task.WhenAll(callers);

        Assert.Equal(1, fetches);
        Assert.All(tokens, token => Assert.Equal("one", token.Value));
    }

    [Fact]
    public async Task Only_the_rejected_token_is_dropped()
    {
        var cache = new InMemoryAccessTokenCache(_clock);
        await cache.GetOrFetchAsync("wx1", _ => Task.FromResult(AccessToken.Issued("new", _clock.GetUtcNow(), TimeSpan.FromHours(2))), Ct);

        await cache.InvalidateAsync("wx1", "old", Ct);
        var kept = await cache.GetOrFetchAsync("wx1", _ => throw new InvalidOperationException("must not fetch"), Ct);
        await cache.InvalidateAsync("wx1", "new", Ct);
        var refetched = await cache.GetOrFetchAsync("wx1", _ => Task.FromResult(AccessToken.Issued("newer", _clock.GetUtcNow(), TimeSpan.FromHours(2))), Ct);

        Assert.Equal("new", kept.Value);
        Assert.Equal("newer", refetched.Value);
    }

    [Fact]
    public void A_token_is_due_five_minutes_before_expiry_or_at_half_a_short_life()
    {
        var now = _clock.GetUtcNow();

        var normal = AccessToken.Issued("t", now, TimeSpan.FromSeconds(7200));
        var shortLived = AccessToken.Issued("t", now, TimeSpan.FromSeconds(300));

        Assert.Equal(now.AddSeconds(6900), normal.RefreshAt);
        Assert.Equal(now.AddSeconds(7200), normal.ExpiresAt);
        Assert.Equal(now.AddSeconds(150), shortLived.RefreshAt);
    }
}
