using HotlineBot.BotFramework.Builder;

namespace HotlineBot.BotFramework.Tests.Builder;

/// <summary>What every <see cref="IConversationLocks"/> must do; each "instance" is a separate locks object over the same backing store.</summary>
public abstract class ConversationLocksContractTests
{
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A locks object as one instance would hold it; in-process locks are only shared within one object, so those return the same one.</summary>
    protected abstract IConversationLocks Instance(TimeSpan wait);

    [Fact]
    public async Task TurnsOfOneConversation_RunOneAtATime_AcrossInstances()
    {
        var instances = new[] { Instance(TimeSpan.FromSeconds(30)), Instance(TimeSpan.FromSeconds(30)) };
        var inside = 0;
        var most = 0;
        var counter = 0;

        await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            await using (await instances[i % 2].AcquireAsync("webchat/c1", Ct))
            {
                var now = Interlocked.Increment(ref inside);
                InterlockedMax(ref most, now);
                // A read-modify-write that loses updates unless turns are serialized.
                var read = Volatile.Read(ref counter);
                await Task.Yield();
                Volatile.Write(ref counter, read + 1);
                Interlocked.Decrement(ref inside);
            }
        }));

        Assert.Equal(1, most);
        Assert.Equal(40, counter);
    }

    [Fact]
    public async Task DifferentConversations_DoNotWaitForEachOther()
    {
        var locks = Instance(TimeSpan.FromSeconds(30));
        await using var first = await locks.AcquireAsync("webchat/a", Ct);

        var second = locks.AcquireAsync("webchat/b", Ct);

        Assert.Same(second, await Task.WhenAny(second, Task.Delay(TimeSpan.FromSeconds(10), Ct)));
        await (await second).DisposeAsync();
    }

    [Fact]
    public async Task ReleasedLock_LetsTheNextTurnIn_AndReleasingTwiceFreesNoOtherHolder()
    {
        var locks = Instance(TimeSpan.FromSeconds(30));
        var first = await locks.AcquireAsync("webchat/c2", Ct);
        var waiting = locks.AcquireAsync("webchat/c2", Ct);
        Assert.False(waiting.IsCompleted);

        await first.DisposeAsync();
        var second = await waiting.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await first.DisposeAsync();
        var third = locks.AcquireAsync("webchat/c2", Ct);
        await Task.Delay(100, Ct);

        Assert.False(third.IsCompleted, "a second release of the first lock must not let a third turn in beside the second");
        await second.DisposeAsync();
        await (await third.WaitAsync(TimeSpan.FromSeconds(10), Ct)).DisposeAsync();
    }

    [Fact]
    public async Task TurnWaitingPastTheLimit_GoesAhead()
    {
        var locks = Instance(TimeSpan.FromMilliseconds(200));
        await using var stuck = await locks.AcquireAsync("webchat/c3", Ct);

        var late = await locks.AcquireAsync("webchat/c3", Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);

        await late.DisposeAsync();
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
