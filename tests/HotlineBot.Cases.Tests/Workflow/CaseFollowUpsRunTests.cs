using HotlineBot.Cases.FollowUps;
using HotlineBot.Cases.Workflow;
using static HotlineBot.Cases.Tests.Scheduling.SchedulingFixtures;
using static HotlineBot.Cases.Tests.Workflow.WorkflowHarness;

namespace HotlineBot.Cases.Tests.Workflow;

public sealed class CaseFollowUpsRunTests : IDisposable
{
    private readonly WorkflowHarness _h = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_NotifyOperators_TellsEveryOperatorOnce()
    {
        var c = await _h.OpenAsync();
        var notify = await _h.PlannedAsync(c.Id, FollowUpKind.NotifyOperators);

        var first = await _h.RunAsync(notify);
        var second = await _h.RunAsync(notify);

        Assert.Equal(FollowUpResult.Done, first);
        Assert.Equal(FollowUpResult.Obsolete, second);
        var sent = Assert.Single(_h.Notifier.Sent);
        Assert.Equal(new OperatorNotification(c.Id, NotificationAudience.Operators, "new-case", sent.Text), sent);
        Assert.Contains(c.Id, sent.Text, StringComparison.Ordinal);
        Assert.Equal(_h.Clock.GetUtcNow(), (await _h.ReadAsync(c.Id)).FollowUp.NotifiedAt);
    }

    [Fact]
    public async Task RunAsync_SecondRunOfSameReminder_ChangesNothing()
    {
        var c = await _h.OpenAsync(CasePriority.Normal);
        var remind = await _h.PlannedAsync(c.Id, FollowUpKind.RemindDeadline);
        _h.Clock.AdvanceTo(remind.Due);

        var first = await _h.RunAsync(remind);
        var afterFirst = await _h.ReadAsync(c.Id);
        var second = await _h.RunAsync(remind);
        var afterSecond = await _h.ReadAsync(c.Id);

        Assert.Equal(FollowUpResult.Done, first);
        Assert.Equal(FollowUpResult.Obsolete, second);
        Assert.Equal(afterFirst.Version, afterSecond.Version);
        Assert.Single(afterSecond.History, e => e.Action == "remind");
        Assert.Equal(Cst(2026, 11, 25, 10, 0), afterSecond.FollowUp.RemindedFor);
        var reminder = Assert.Single(_h.Notifier.OfKind("deadline"));
        Assert.Equal(NotificationAudience.Operators, reminder.Audience);
        Assert.Contains("11月25日 10:00", reminder.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_BeforeItIsDue_ReturnsEarly_AndReschedulesItselfForTheDueTime()
    {
        var c = await _h.OpenAsync(CasePriority.Normal);
        var escalate = await _h.PlannedAsync(c.Id, FollowUpKind.Escalate);
        _h.Scheduler.Clear();

        var result = await _h.RunAsync(escalate);

        Assert.Equal(FollowUpResult.Early, result);
        Assert.Equal([escalate], _h.Scheduler.FollowUps);
        Assert.Equal(c.Version, (await _h.ReadAsync(c.Id)).Version);
        Assert.Empty(_h.Notifier.Sent);
    }

    [Fact]
    public async Task RunAsync_ReminderForADeadlineSomeoneAlreadyMet_IsObsolete()
    {
        var c = await _h.OpenAsync(CasePriority.Normal);
        var remind = await _h.PlannedAsync(c.Id, FollowUpKind.RemindDeadline);
        var claimed = await _h.Workflow.ClaimAsync(c.Id, Operator, asAdmin: false, Ct);
        _h.Clock.AdvanceTo(remind.Due);

        var result = await _h.RunAsync(remind);

        Assert.Equal(FollowUpResult.Obsolete, result);
        Assert.Equal(claimed.Version, (await _h.ReadAsync(c.Id)).Version);
        Assert.Empty(_h.Notifier.OfKind("deadline"));
    }

    [Fact]
    public async Task RunAsync_ForACaseThatDoesNotExist_IsObsolete()
    {
        var result = await _h.FollowUps.RunAsync("12351-20261124-0404", FollowUpKind.Escalate, "Escalate:1", Ct);

        Assert.Equal(FollowUpResult.Obsolete, result);
    }

    [Fact]
    public async Task RunAsync_SameFollowUpOnTwoServersAtOnce_IsDoneExactlyOnce()
    {
        var c = await _h.OpenAsync(CasePriority.Normal);
        var remind = await _h.PlannedAsync(c.Id, FollowUpKind.RemindDeadline);
        _h.Clock.AdvanceTo(remind.Due);
        var servers = new[] { _h.FollowUps, _h.SecondServer() };

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => servers[i % 2].RunAsync(remind.CaseId, remind.Kind, remind.Key, Ct), Ct)));

        Assert.Single(results, r => r == FollowUpResult.Done);
        Assert.All(results.Where(r => r != FollowUpResult.Done), r => Assert.Equal(FollowUpResult.Obsolete, r));
        Assert.Single((await _h.ReadAsync(c.Id)).History, e => e.Action == "remind");
        Assert.Single(_h.Notifier.OfKind("deadline"));
    }

    [Fact]
    public async Task RunAsync_EscalationThatLosesARaceToAClaim_IsObsolete_AndTellsNoAdmin()
    {
        var c = await _h.OpenAsync(CasePriority.Normal);
        var escalate = await _h.PlannedAsync(c.Id, FollowUpKind.Escalate);
        _h.Clock.AdvanceTo(escalate.Due);
        _h.Contested.BeforeNextUpdate(() => _h.Workflow.ClaimAsync(c.Id, Operator, asAdmin: false, Ct));

        var result = await _h.ContestedFollowUps.RunAsync(escalate.CaseId, escalate.Kind, escalate.Key, Ct);

        var after = await _h.ReadAsync(c.Id);
        Assert.Equal(FollowUpResult.Obsolete, result);
        Assert.Equal((CaseStatus.Claimed, CasePriority.Normal), (after.Status, after.Priority));
        Assert.DoesNotContain(after.History, e => e.Action == "escalate");
        Assert.Empty(_h.Notifier.OfKind("escalated"));
    }

    [Fact]
    public async Task RunAsync_Escalate_RaisesNormalToHigh_WithANewDeadline_AndTellsTheAdmins()
    {
        var c = await _h.OpenAsync(CasePriority.Normal);
        _h.Scheduler.Clear();

        var result = await _h.RunWhenDueAsync(c.Id, FollowUpKind.Escalate);

        var escalated = await _h.ReadAsync(c.Id);
        Assert.Equal(FollowUpResult.Done, result);
        Assert.Equal(CasePriority.High, escalated.Priority);
        Assert.Equal(Cst(2026, 11, 25, 12, 0), escalated.FirstResponseDue); // 2 working hours from Wednesday 10:00
        Assert.Equal(Cst(2026, 11, 25, 10, 0), escalated.FollowUp.EscalatedFor);
        Assert.Equal("Normal → High", Assert.Single(escalated.History, e => e.Action == "escalate").Note);
        var told = Assert.Single(_h.Notifier.OfKind("escalated"));
        Assert.Equal(NotificationAudience.Admins, told.Audience);
        Assert.Contains("由“一般”升为“较急”", told.Text, StringComparison.Ordinal);

        // The new deadline is followed up in its turn.
        Assert.Equal(
            [(FollowUpKind.RemindDeadline, Cst(2026, 11, 25, 11, 55)), (FollowUpKind.Escalate, Cst(2026, 11, 25, 12, 0))],
            _h.Scheduler.FollowUps.Select(p => (p.Kind, p.Due)));
    }

    [Fact]
    public async Task RunAsync_Escalate_UrgentCase_EscalatesOnce_WithoutRaisingOrMovingTheDeadline()
    {
        var c = await _h.OpenAsync(CasePriority.Urgent);
        var escalate = await _h.PlannedAsync(c.Id, FollowUpKind.Escalate);
        _h.Clock.AdvanceTo(escalate.Due);

        var first = await _h.RunAsync(escalate);
        var second = await _h.RunAsync(escalate);

        var after = await _h.ReadAsync(c.Id);
        Assert.Equal(FollowUpResult.Done, first);
        Assert.Equal(FollowUpResult.Obsolete, second);
        Assert.Equal(CasePriority.Urgent, after.Priority);
        Assert.Equal(c.FirstResponseDue, after.FirstResponseDue);
        Assert.DoesNotContain(_h.Planner.Plan(after), p => p.Kind == FollowUpKind.Escalate);
        var told = Assert.Single(_h.Notifier.OfKind("escalated"));
        Assert.Equal(NotificationAudience.Admins, told.Audience);
        Assert.Contains("请管理员协调", told.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CallbackReminder_TellsTheHolder_WithTheMaskedNumberOnly()
    {
        var c = await _h.ClaimedAsync(phone: Phone, window: FollowUpPlanner.AfternoonWindow);

        var result = await _h.RunWhenDueAsync(c.Id, FollowUpKind.CallbackReminder);

        Assert.Equal(FollowUpResult.Done, result);
        Assert.Equal(Cst(2026, 11, 24, 12, 0), _h.Clock.GetUtcNow());
        var told = Assert.Single(_h.Notifier.OfKind("callback"));
        Assert.Equal((NotificationAudience.Assignee, Operator), (told.Audience, told.Operator));
        Assert.Contains(MaskedPhone, told.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(Phone, told.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(_h.Planner.Plan(await _h.ReadAsync(c.Id)), p => p.Kind == FollowUpKind.CallbackReminder);
    }

    [Fact]
    public async Task RunAsync_Survey_QueuesOneSurveyMessage_WithChoicesOneToFive()
    {
        var c = await _h.ResolvedAsync();
        var survey = await _h.PlannedAsync(c.Id, FollowUpKind.Survey);
        _h.Clock.AdvanceTo(survey.Due);
        _h.Scheduler.Clear();

        var first = await _h.RunAsync(survey);
        var second = await _h.RunAsync(survey);

        var after = await _h.ReadAsync(c.Id);
        Assert.Equal(FollowUpResult.Done, first);
        Assert.Equal(FollowUpResult.Obsolete, second);
        Assert.Equal(_h.Clock.GetUtcNow(), after.FollowUp.SurveySentAt);
        var question = Assert.Single(after.Deliveries, d => d.Kind == DeliveryKind.Survey);
        Assert.Equal(["1", "2", "3", "4", "5"], question.Choices);
        Assert.Equal(DeliveryState.Pending, question.State);
        Assert.Equal("system", question.Author);
        Assert.Contains(c.Id, question.Text, StringComparison.Ordinal);
        Assert.Equal([new ScheduledDelivery(c.Id, question.Id, _h.Clock.GetUtcNow())], _h.Scheduler.Deliveries);
        Assert.Single(after.History, e => e.Action == "survey-sent");
    }

    [Fact]
    public async Task RunAsync_CloseUnrated_ClosesASurveyedCaseThatGotNoScore()
    {
        var c = await _h.ResolvedAsync();
        await _h.RunWhenDueAsync(c.Id, FollowUpKind.Survey);

        var result = await _h.RunWhenDueAsync(c.Id, FollowUpKind.CloseUnrated);

        var after = await _h.ReadAsync(c.Id);
        Assert.Equal(FollowUpResult.Done, result);
        Assert.Equal(CaseStatus.Closed, after.Status);
        Assert.Null(after.FollowUp.SurveyScore);
        Assert.Equal(("close", "system"), (after.History[^1].Action, after.History[^1].Actor));
        Assert.Empty(_h.Planner.Plan(after));
    }

    [Fact]
    public async Task RunAsync_AutoClose_ClosesTheCase_AndQueuesANoticeForTheWorker()
    {
        var (c, question) = await _h.WaitingForWorkerAsync();
        var autoClose = await _h.PlannedAsync(c.Id, FollowUpKind.AutoClose);
        _h.Clock.AdvanceTo(autoClose.Due);
        _h.Scheduler.Clear();

        var first = await _h.RunAsync(autoClose);
        var second = await _h.RunAsync(autoClose);

        var after = await _h.ReadAsync(c.Id);
        Assert.Equal(FollowUpResult.Done, first);
        Assert.Equal(FollowUpResult.Obsolete, second);
        Assert.Equal(CaseStatus.Closed, after.Status);
        Assert.Single(after.History, e => e.Action == "close");
        var notice = Assert.Single(after.Deliveries, d => d.Id != question.Id);
        Assert.Equal((DeliveryKind.Status, DeliveryState.Pending), (notice.Kind, notice.State));
        Assert.Contains("3天", notice.Text, StringComparison.Ordinal);
        Assert.Equal([new ScheduledDelivery(c.Id, notice.Id, _h.Clock.GetUtcNow())], _h.Scheduler.Deliveries);
        var told = Assert.Single(_h.Notifier.OfKind("auto-closed"));
        Assert.Equal((NotificationAudience.Assignee, Operator), (told.Audience, told.Operator));
        Assert.Contains(c.Id, (await _h.Store.ListUnfinishedAsync(Ct)).Select(x => x.Id));
    }

    public void Dispose() => _h.Dispose();
}
