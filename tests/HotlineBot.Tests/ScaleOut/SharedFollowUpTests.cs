using System.Text.Json.Nodes;
using HotlineBot.Cases.FollowUps;
using HotlineBot.Tests.Integration;

namespace HotlineBot.Tests.ScaleOut;

/// <summary>
/// Follow-ups when two instances share one Hangfire storage in Redis: both run job servers, yet each follow-up
/// is one job and happens once, also when both start together over a case whose follow-ups are still pending.
/// </summary>
public sealed class SharedFollowUpTests(RedisServer redis)
{
    private const string Emergency = "工友从脚手架上摔下来了，流了很多血";

    /// <summary>The follow-ups an unclaimed urgent case has, and the history action each one leaves.</summary>
    private static readonly (FollowUpKind Kind, string Action)[] UrgentFollowUps =
    [
        (FollowUpKind.NotifyOperators, "notify-operators"),
        (FollowUpKind.RemindDeadline, "remind"),
        (FollowUpKind.Escalate, "escalate"),
    ];

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>An urgent case's deadline of <paramref name="deadline"/>, reminded half-way.</summary>
    private static Dictionary<string, string?> UrgentDeadline(TimeSpan deadline) => new()
    {
        ["Hotline:FollowUp:FirstResponse:Urgent"] = deadline.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        ["Hotline:FollowUp:ReminderLeadTime"] = (deadline / 2).ToString("c", System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task EachFollowUpOfACase_IsOneJob_AndHappensOnce_WithBothInstancesRunningJobs()
    {
        _ = redis.Connection;
        await using var pair = await TwoInstances.StartAsync(redis, UrgentDeadline(TimeSpan.FromSeconds(3)));
        var caseId = await OpenUrgentCaseAsync(pair, pair.A);

        var escalated = await pair.WaitForCaseAsync(pair.B, caseId, c => TwoInstances.CountHistory(c, "escalate") > 0);
        Assert.True(TwoInstances.CountHistory(escalated, "escalate") > 0, "escalated at the deadline: " + escalated.ToJsonString());
        await AssertEachHappenedOnceAsync(pair, caseId);
    }

    [Fact]
    public async Task TwoInstancesStartingTogether_OverACaseWithPendingFollowUps_AddNoSecondJob()
    {
        _ = redis.Connection;
        var prefix = RedisServer.NewPrefix();
        var settings = UrgentDeadline(TimeSpan.FromSeconds(12));
        string caseId;
        await using (var first = await TwoInstances.StartAsync(redis, settings, prefix, count: 1))
        {
            caseId = await OpenUrgentCaseAsync(first, first.A);

            // Stopped once the operators were told (so no job is cut off mid-run), with the reminder and the escalation still to come.
            var notified = await first.WaitForCaseAsync(first.A, caseId, c => TwoInstances.CountHistory(c, "notify-operators") > 0);
            Assert.Equal(1, TwoInstances.CountHistory(notified, "notify-operators"));
            Assert.Equal(0, TwoInstances.CountHistory(notified, "escalate"));
            Assert.Equal(1, FollowUpJobCount.Of(first.A, caseId, FollowUpKind.Escalate).Scheduled);
        }

        // Both start at the same time (TwoInstances.StartAsync) over the case; each rehydrates the unfinished cases.
        await using var pair = await TwoInstances.StartAsync(redis, settings, prefix);
        foreach (var kind in new[] { FollowUpKind.RemindDeadline, FollowUpKind.Escalate })
        {
            var count = FollowUpJobCount.Of(pair.B, caseId, kind);
            Assert.True(count.Live == 1, $"{kind} after both instances rehydrated: {count}");
        }

        var escalated = await pair.WaitForCaseAsync(pair.A, caseId, c => TwoInstances.CountHistory(c, "escalate") > 0);
        Assert.True(TwoInstances.CountHistory(escalated, "escalate") > 0, "escalated at the deadline: " + escalated.ToJsonString());
        await AssertEachHappenedOnceAsync(pair, caseId);
    }

    /// <summary>The emergency on <paramref name="host"/> opens an urgent case; its id.</summary>
    private static async Task<string> OpenUrgentCaseAsync(TwoInstances pair, HotlineHost host)
    {
        var reply = await pair.SayAsync(host, BotClient.NewConversationId(), Emergency, "emergency");
        var caseId = (string?)reply["channelData"]?["hotline"]?["caseId"];
        Assert.False(string.IsNullOrEmpty(caseId), "the emergency reply carries the urgent case's id: " + reply.ToJsonString());
        return caseId;
    }

    /// <summary>
    /// Each of the urgent case's follow-ups left one history entry, on both instances, and the shared job
    /// storage holds one job for it, done (waited for, since a job moves between states as it finishes).
    /// </summary>
    private static async Task AssertEachHappenedOnceAsync(TwoInstances pair, string caseId)
    {
        foreach (var (kind, _) in UrgentFollowUps)
        {
            var count = await FollowUpJobCount.SettledAsync(pair.A, caseId, kind, TwoInstances.Patience);
            Assert.True(count is { Live: 1, Succeeded: 1, Failed: 0 }, $"{kind}: one job, done: {count}");
        }

        // Later schedule polls on either instance add nothing.
        await Task.Delay(TimeSpan.FromSeconds(1), Cancellation);
        foreach (var host in new[] { pair.A, pair.B })
        {
            var detail = await pair.WaitForCaseAsync(host, caseId, _ => true);
            foreach (var (kind, action) in UrgentFollowUps)
            {
                Assert.True(TwoInstances.CountHistory(detail, action) == 1, $"{pair.NameOf(host)}: {kind} should leave exactly one \"{action}\": {History(detail)}");
            }
        }
    }

    private static string History(JsonNode detail) => detail["history"]!.ToJsonString();
}
