using HotlineBot.WeChat.Storage;

namespace HotlineBot.WeChat.Tests.Storage;

/// <summary>What every <see cref="IWeChatPushLog"/> does, run against SQLite and Redis. Each test gets a fresh log.</summary>
public abstract class WeChatPushLogContractTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A log on this test's (empty) store; every call opens another instance on the same store.</summary>
    protected abstract IWeChatPushLog Open();

    /// <summary>Lets the retention of every claim made so far pass.</summary>
    protected abstract Task PassRetentionAsync();

    [Fact]
    public async Task First_claim_wins_and_a_retry_sees_no_reply_until_the_first_completes()
    {
        var log = Open();

        var first = await log.ClaimAsync("msg:1001", Ct);
        var retry = await log.ClaimAsync("msg:1001", Ct);
        await log.CompleteAsync("msg:1001", "您好，请问遇到了什么问题？", Ct);
        var lateRetry = await Open().ClaimAsync("msg:1001", Ct);

        Assert.Equal(new PushClaim(true, null), first);
        Assert.Equal(new PushClaim(false, null), retry);
        Assert.Equal(new PushClaim(false, "您好，请问遇到了什么问题？"), lateRetry);
    }

    [Fact]
    public async Task An_empty_reply_for_success_is_returned_as_empty_not_as_pending()
    {
        var log = Open();
        await log.ClaimAsync("event:oUser:1714036504", Ct);

        await log.CompleteAsync("event:oUser:1714036504", "", Ct);

        Assert.Equal(new PushClaim(false, ""), await log.ClaimAsync("event:oUser:1714036504", Ct));
    }

    [Fact]
    public async Task Claims_of_different_keys_are_independent()
    {
        var log = Open();

        Assert.True((await log.ClaimAsync("msg:1", Ct)).First);
        Assert.True((await log.ClaimAsync("msg:2", Ct)).First);
        Assert.True((await log.ClaimAsync("event:oUser:1", Ct)).First);
    }

    [Fact]
    public async Task Twenty_concurrent_claims_of_one_key_on_two_instances_give_exactly_one_first()
    {
        var logs = new[] { Open(), Open() };
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var claims = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await logs[i % 2].ClaimAsync("msg:2002", Ct);
        }, Ct)).ToList();
        start.SetResult();
        var outcomes = await Task.WhenAll(claims);

        Assert.Single(outcomes, claim => claim.First);
        Assert.All(outcomes.Where(claim => !claim.First), claim => Assert.Null(claim.Reply));
    }

    [Fact]
    public async Task Completing_twice_keeps_the_first_reply()
    {
        var log = Open();
        await log.ClaimAsync("msg:3003", Ct);

        await log.CompleteAsync("msg:3003", "第一次的回复", Ct);
        await Open().CompleteAsync("msg:3003", "第二次的回复", Ct);

        Assert.Equal(new PushClaim(false, "第一次的回复"), await log.ClaimAsync("msg:3003", Ct));
    }

    [Fact]
    public async Task Claims_expire_after_the_retention_and_the_key_can_be_claimed_afresh()
    {
        var log = Open();
        await log.ClaimAsync("msg:4004", Ct);
        await log.CompleteAsync("msg:4004", "旧的回复", Ct);
        await log.ClaimAsync("msg:4005", Ct);

        await PassRetentionAsync();

        Assert.Equal(new PushClaim(true, null), await log.ClaimAsync("msg:4004", Ct));
        Assert.Equal(new PushClaim(false, null), await Open().ClaimAsync("msg:4004", Ct));
        Assert.True((await log.ClaimAsync("msg:4005", Ct)).First);
    }
}
