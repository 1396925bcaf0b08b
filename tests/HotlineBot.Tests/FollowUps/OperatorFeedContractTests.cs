using HotlineBot.Accounts;
using HotlineBot.Cases.FollowUps;
using HotlineBot.FollowUps;

namespace HotlineBot.Tests.FollowUps;

/// <summary>
/// What every <see cref="IOperatorFeed"/> does, run against each implementation (in memory, Redis), so a
/// console sees the same feed whichever the host runs. Each test gets a fresh, empty feed.
/// </summary>
public abstract class OperatorFeedContractTests
{
    protected const string Operator = "li.ming";
    protected const string OtherOperator = "wang.fang";
    protected const string Admin = "zhou.qing";

    private IOperatorFeed? _feed;

    protected TestClock Clock { get; } = new();

    protected IOperatorFeed Feed => _feed ??= CreateFeed(Clock);

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A new, empty feed for one test, on <paramref name="time"/>.</summary>
    protected abstract IOperatorFeed CreateFeed(TimeProvider time);

    protected static OperatorNotification ForOperators(string text) => new("12351-20260302-0001", NotificationAudience.Operators, "new-case", text);

    [Fact]
    public async Task Notify_NumbersInIncreasingOrder_WithTheTimeAndEveryField()
    {
        var sent = new[]
        {
            ForOperators("新工单：工资被拖欠"),
            new OperatorNotification(string.Empty, NotificationAudience.Admins, "review-due", "3条政策答案已到复核日期"),
            new OperatorNotification("12351-20260302-0002", NotificationAudience.Assignee, "worker-message", "劳动者回复了", Operator),
        };
        var times = new List<DateTimeOffset>();
        foreach (var notification in sent)
        {
            times.Add(Clock.GetUtcNow());
            await Feed.NotifyAsync(notification, Ct);
            Clock.Advance(TimeSpan.FromMinutes(1));
        }

        var items = await Feed.ReadAsync(0, Operator, Roles.Admin, Ct);

        Assert.Equal(sent, items.Select(i => i.Notification));
        Assert.Equal(times, items.Select(i => i.At));
        Assert.True(items[0].Id > 0);
        Assert.Equal(items.Select(i => i.Id).Order(), items.Select(i => i.Id));
        Assert.Equal(items.Count, items.Select(i => i.Id).Distinct().Count());
    }

    [Fact]
    public async Task Read_ReturnsOnlyTheNotificationsAfterAnId()
    {
        foreach (var text in new[] { "一", "二", "三" })
        {
            await Feed.NotifyAsync(ForOperators(text), Ct);
        }

        var all = await Feed.ReadAsync(0, Operator, Roles.Operator, Ct);

        Assert.Equal(["二", "三"], (await Feed.ReadAsync(all[0].Id, Operator, Roles.Operator, Ct)).Select(i => i.Notification.Text));
        Assert.Empty(await Feed.ReadAsync(all[^1].Id, Operator, Roles.Operator, Ct));
        await Feed.NotifyAsync(ForOperators("四"), Ct);
        Assert.Equal(["四"], (await Feed.ReadAsync(all[^1].Id, Operator, Roles.Operator, Ct)).Select(i => i.Notification.Text));
    }

    [Fact]
    public async Task Read_ShowsEachUserOnlyTheirAudience()
    {
        await Feed.NotifyAsync(ForOperators("all"), Ct);
        await Feed.NotifyAsync(new OperatorNotification(string.Empty, NotificationAudience.Admins, "review-due", "admins"), Ct);
        await Feed.NotifyAsync(new OperatorNotification("c-1", NotificationAudience.Assignee, "worker-message", "mine", "Li.Ming"), Ct);
        await Feed.NotifyAsync(new OperatorNotification("c-2", NotificationAudience.Assignee, "worker-message", "theirs", OtherOperator), Ct);

        Assert.Equal(["all", "mine"], await TextsAsync(Operator, Roles.Operator));
        Assert.Equal(["all", "mine"], await TextsAsync("LI.MING", Roles.Operator));
        Assert.Equal(["all", "theirs"], await TextsAsync(OtherOperator, Roles.Operator));
        Assert.Equal(["all", "admins"], await TextsAsync(Admin, Roles.Admin));
        Assert.Equal(["all"], await TextsAsync("zhao.lei", "unknown-role"));
    }

    [Fact]
    public async Task Capacity_KeepsTheNewest_AndDropsTheOldest()
    {
        const int Sent = OperatorFeed.Capacity + 3;
        for (var i = 0; i < Sent; i++)
        {
            await Feed.NotifyAsync(ForOperators(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), Ct);
        }

        var items = await Feed.ReadAsync(0, Operator, Roles.Operator, Ct);

        Assert.Equal(OperatorFeed.Capacity, items.Count);
        Assert.Equal("3", items[0].Notification.Text);
        Assert.Equal((Sent - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), items[^1].Notification.Text);
        Assert.Equal(items.Select(i => i.Id).Order(), items.Select(i => i.Id));
    }

    private async Task<string[]> TextsAsync(string username, string role) =>
        [.. (await Feed.ReadAsync(0, username, role, Ct)).Select(i => i.Notification.Text)];
}
