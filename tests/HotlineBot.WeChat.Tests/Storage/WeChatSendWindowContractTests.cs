using HotlineBot.WeChat.Storage;

namespace HotlineBot.WeChat.Tests.Storage;

/// <summary>What every <see cref="IWeChatSendWindow"/> does, run against SQLite and Redis. Each test gets a fresh store.</summary>
public abstract class WeChatSendWindowContractTests
{
    private const string User = "oUser-7f3a";

    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A send window on this test's (empty) store; every call opens another instance on the same store.</summary>
    protected abstract IWeChatSendWindow Open();

    [Fact]
    public async Task Nothing_is_granted_to_a_follower_who_never_wrote()
    {
        Assert.Equal(0, await Open().ReserveAsync(User, 1, T0, Ct));
    }

    [Fact]
    public async Task Five_sends_are_granted_after_a_message_then_none()
    {
        var window = Open();
        await window.OpenAsync(User, WeChatTrigger.Message, T0, Ct);

        var granted = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            granted.Add(await window.ReserveAsync(User, 1, T0.AddMinutes(i), Ct));
        }

        Assert.Equal([1, 1, 1, 1, 1, 0], granted);
    }

    [Fact]
    public async Task Reserving_more_than_is_left_returns_what_is_left()
    {
        var window = Open();
        await window.OpenAsync(User, WeChatTrigger.Message, T0, Ct);
        await window.ReserveAsync(User, 2, T0.AddSeconds(1), Ct);

        Assert.Equal(3, await window.ReserveAsync(User, 7, T0.AddSeconds(2), Ct));
        Assert.Equal(0, await window.ReserveAsync(User, 7, T0.AddSeconds(3), Ct));
    }

    [Fact]
    public async Task Nothing_is_granted_once_the_48_hours_have_passed()
    {
        var window = Open();
        await window.OpenAsync(User, WeChatTrigger.Message, T0, Ct);

        Assert.Equal(1, await window.ReserveAsync(User, 1, T0 + WeChatQuota.MessageWindow - TimeSpan.FromSeconds(1), Ct));
        Assert.Equal(0, await window.ReserveAsync(User, 1, T0 + WeChatQuota.MessageWindow, Ct));
    }

    [Fact]
    public async Task An_interaction_grants_three_within_its_minute_then_the_message_allowance_is_used()
    {
        var window = Open();
        await window.OpenAsync(User, WeChatTrigger.Message, T0, Ct);
        var clicked = T0.AddHours(1);
        await window.OpenAsync(User, WeChatTrigger.Interaction, clicked, Ct);

        var fromInteraction = await window.ReserveAsync(User, 3, clicked.AddSeconds(10), Ct);
        var thenFromMessage = await window.ReserveAsync(User, 1, clicked.AddSeconds(20), Ct);
        var afterTheMinute = await window.ReserveAsync(User, 10, clicked + WeChatQuota.InteractionWindow, Ct);

        Assert.Equal(3, fromInteraction);
        Assert.Equal(1, thenFromMessage);
        Assert.Equal(4, afterTheMinute);
    }

    [Fact]
    public async Task One_reservation_takes_from_both_allowances()
    {
        var window = Open();
        await window.OpenAsync(User, WeChatTrigger.Message, T0, Ct);
        await window.OpenAsync(User, WeChatTrigger.Interaction, T0.AddSeconds(5), Ct);

        Assert.Equal(8, await window.ReserveAsync(User, 10, T0.AddSeconds(6), Ct));
    }

    [Fact]
    public async Task An_interaction_alone_grants_three_and_nothing_after_its_minute()
    {
        var window = Open();
        await window.OpenAsync(User, WeChatTrigger.Interaction, T0, Ct);

        Assert.Equal(2, await window.ReserveAsync(User, 2, T0.AddSeconds(30), Ct));
        Assert.Equal(0, await window.ReserveAsync(User, 1, T0 + WeChatQuota.InteractionWindow, Ct));
    }

    [Fact]
    public async Task Release_gives_back_but_never_above_the_quota()
    {
        var window = Open();
        await window.OpenAsync(User, WeChatTrigger.Message, T0, Ct);
        await window.ReserveAsync(User, 5, T0.AddSeconds(1), Ct);

        await window.ReleaseAsync(User, 2, T0.AddSeconds(2), Ct);
        var afterRelease = await window.ReserveAsync(User, 5, T0.AddSeconds(3), Ct);
        await window.ReleaseAsync(User, 9, T0.AddSeconds(4), Ct);
        var afterOverRelease = await window.ReserveAsync(User, 9, T0.AddSeconds(5), Ct);

        Assert.Equal(2, afterRelease);
        Assert.Equal(WeChatQuota.MessageSends, afterOverRelease);
    }

    [Fact]
    public async Task Release_goes_to_the_message_allowance_first_then_to_the_open_interaction()
    {
        var window = Open();
        await window.OpenAsync(User, WeChatTrigger.Message, T0, Ct);
        await window.OpenAsync(User, WeChatTrigger.Interaction, T0.AddSeconds(1), Ct);
        await window.ReserveAsync(User, 8, T0.AddSeconds(2), Ct);

        await window.ReleaseAsync(User, 7, T0.AddSeconds(3), Ct);
        var afterTheMinute = await window.ReserveAsync(User, 9, T0.AddMinutes(5), Ct);

        // 5 went back to the Message allowance, 2 to the Interaction one, which closed unused.
        Assert.Equal(WeChatQuota.MessageSends, afterTheMinute);
    }

    [Fact]
    public async Task Release_into_a_closed_window_gives_nothing_back()
    {
        var window = Open();
        await window.OpenAsync(User, WeChatTrigger.Message, T0, Ct);
        await window.ReserveAsync(User, 5, T0.AddSeconds(1), Ct);

        await window.ReleaseAsync(User, 5, T0 + WeChatQuota.MessageWindow, Ct);

        Assert.Equal(0, await window.ReserveAsync(User, 5, T0 + WeChatQuota.MessageWindow, Ct));
    }

    [Fact]
    public async Task Ten_concurrent_reservations_on_two_instances_grant_exactly_five()
    {
        var windows = new[] { Open(), Open() };
        await windows[0].OpenAsync(User, WeChatTrigger.Message, T0, Ct);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var reservations = Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await windows[i % 2].ReserveAsync(User, 1, T0.AddSeconds(1), Ct);
        }, Ct)).ToList();
        start.SetResult();
        var granted = await Task.WhenAll(reservations);

        Assert.Equal(WeChatQuota.MessageSends, granted.Sum());
    }

    [Fact]
    public async Task A_new_message_resets_the_count_and_the_window()
    {
        var window = Open();
        await window.OpenAsync(User, WeChatTrigger.Message, T0, Ct);
        await window.ReserveAsync(User, 5, T0.AddHours(1), Ct);
        var again = T0.AddHours(40);

        await window.OpenAsync(User, WeChatTrigger.Message, again, Ct);

        Assert.Equal(2, await window.ReserveAsync(User, 2, again.AddSeconds(1), Ct));
        Assert.Equal(3, await window.ReserveAsync(User, 5, T0 + WeChatQuota.MessageWindow + TimeSpan.FromHours(1), Ct));
    }

    [Fact]
    public async Task An_older_trigger_arriving_late_changes_nothing()
    {
        var window = Open();
        await window.OpenAsync(User, WeChatTrigger.Message, T0.AddMinutes(10), Ct);
        await window.ReserveAsync(User, 5, T0.AddMinutes(11), Ct);

        await window.OpenAsync(User, WeChatTrigger.Message, T0, Ct);

        Assert.Equal(0, await window.ReserveAsync(User, 1, T0.AddMinutes(12), Ct));
    }

    [Fact]
    public async Task Followers_have_separate_allowances()
    {
        var window = Open();
        await window.OpenAsync(User, WeChatTrigger.Message, T0, Ct);
        await window.OpenAsync("oOther", WeChatTrigger.Interaction, T0, Ct);

        Assert.Equal(5, await window.ReserveAsync(User, 9, T0.AddSeconds(1), Ct));
        Assert.Equal(3, await window.ReserveAsync("oOther", 9, T0.AddSeconds(1), Ct));
    }
}
