using HotlineBot.Cases.FollowUps;
using HotlineBot.Cases.Scheduling;
using HotlineBot.Cases.Tests.Workflow;
using static HotlineBot.Cases.Tests.Scheduling.SchedulingFixtures;
using static HotlineBot.Cases.Tests.Workflow.WorkflowHarness;

namespace HotlineBot.Cases.Tests.FollowUps;

public sealed class FollowUpPlannerTests : IDisposable
{
    private readonly WorkflowHarness _h = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Plan_NewNormalCase_NotifiesNow_RemindsBeforeTheDeadline_AndEscalatesAtIt()
    {
        var c = await _h.OpenAsync(CasePriority.Normal);

        var plan = _h.Planner.Plan(c);

        // Tuesday 10:00 + 1 working day = Wednesday 10:00; reminded 5 minutes before.
        Assert.Equal(Cst(2026, 11, 25, 10, 0), c.FirstResponseDue);
        Assert.Equal(
            [(FollowUpKind.NotifyOperators, TuesdayMorning), (FollowUpKind.RemindDeadline, Cst(2026, 11, 25, 9, 55)), (FollowUpKind.Escalate, Cst(2026, 11, 25, 10, 0))],
            plan.Select(p => (p.Kind, p.Due)));
        Assert.All(plan, p => Assert.Equal(c.Id, p.CaseId));
        Assert.Equal(plan.Count, plan.Select(p => p.Key).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task Plan_UrgentCase_RemindsAndEscalatesOnTheWallClock()
    {
        _h.Clock.AdvanceTo(Cst(2026, 11, 28, 23, 50)); // Saturday night: no operators on duty

        var c = await _h.OpenAsync(CasePriority.Urgent);

        var plan = _h.Planner.Plan(c);
        Assert.Equal(Cst(2026, 11, 29, 0, 0), Assert.Single(plan, p => p.Kind == FollowUpKind.RemindDeadline).Due);
        Assert.Equal(Cst(2026, 11, 29, 0, 5), Assert.Single(plan, p => p.Kind == FollowUpKind.Escalate).Due);
    }

    [Fact]
    public async Task Plan_ClaimedCase_HasNoDeadlineFollowUps()
    {
        var c = await _h.ClaimedAsync(CasePriority.Normal);

        var plan = _h.Planner.Plan(c);

        Assert.NotNull(c.FollowUp.FirstRespondedAt);
        Assert.DoesNotContain(plan, p => p.Kind is FollowUpKind.RemindDeadline or FollowUpKind.Escalate);
    }

    [Fact]
    public async Task Plan_ClaimedBeforeTheNoticeRan_HasNoNotifyOperators()
    {
        var opened = await _h.OpenAsync();
        Assert.Contains(_h.Planner.Plan(opened), p => p.Kind == FollowUpKind.NotifyOperators);

        var claimed = await _h.Workflow.ClaimAsync(opened.Id, Operator, asAdmin: false, Ct);

        Assert.Null(claimed.FollowUp.NotifiedAt);
        Assert.DoesNotContain(_h.Planner.Plan(claimed), p => p.Kind == FollowUpKind.NotifyOperators);
    }

    [Fact]
    public async Task Plan_DeadlineAlreadyEscalated_PlansNoReminderForIt()
    {
        // An urgent case whose escalation ran (after an outage, say) before its reminder ever did.
        var opened = await _h.OpenAsync(CasePriority.Urgent);
        await _h.RunWhenDueAsync(opened.Id, FollowUpKind.Escalate);

        var escalated = await _h.ReadAsync(opened.Id);

        Assert.Null(escalated.FollowUp.RemindedFor);
        Assert.Equal(escalated.FirstResponseDue, escalated.FollowUp.EscalatedFor);
        Assert.DoesNotContain(_h.Planner.Plan(escalated), p => p.Kind is FollowUpKind.RemindDeadline or FollowUpKind.Escalate);
    }

    [Fact]
    public async Task Plan_CaseBackWithItsOperatorAfterTheWorkerReplied_WatchesTheOperatorsNextAnswer()
    {
        var (c, _) = await _h.WaitingForWorkerAsync();
        await _h.Workflow.RelayFromWorkerAsync(c.Id, "合同拍好了", Ct);

        var back = await _h.ReadAsync(c.Id);

        // The worker waits for the operator now: a new deadline, reminded and escalated like the first.
        Assert.Equal(CaseStatus.WaitingForOperator, back.Status);
        Assert.Null(back.FollowUp.FirstRespondedAt);
        var escalate = Assert.Single(_h.Planner.Plan(back), p => p.Kind == FollowUpKind.Escalate);
        Assert.Equal(back.FirstResponseDue, escalate.Due);
        Assert.Contains(_h.Planner.Plan(back), p => p.Kind == FollowUpKind.RemindDeadline);
    }

    [Fact]
    public async Task Plan_NoCallbackReminder_WithoutAPhone()
    {
        var c = await _h.OpenAsync(phone: null, window: FollowUpPlanner.MorningWindow);

        Assert.DoesNotContain(_h.Planner.Plan(c), p => p.Kind == FollowUpKind.CallbackReminder);
    }

    [Fact]
    public async Task Plan_PhoneWithoutAWindow_IsCalledBackAsSoonAsSomeoneIsOnDuty()
    {
        var c = await _h.OpenAsync(phone: Phone, window: null);

        Assert.Equal("随时", c.FollowUp.CallbackWindow);
        Assert.Contains(_h.Planner.Plan(c), p => p.Kind == FollowUpKind.CallbackReminder);
    }

    [Fact]
    public async Task Plan_MorningCallbackAskedOnFridayAfternoon_RemindsOnMondayMorning()
    {
        _h.Clock.AdvanceTo(Cst(2026, 11, 27, 15, 0));

        var c = await _h.OpenAsync(phone: Phone, window: FollowUpPlanner.MorningWindow);

        var reminder = Assert.Single(_h.Planner.Plan(c), p => p.Kind == FollowUpKind.CallbackReminder);
        Assert.Equal(Cst(2026, 11, 30, 9, 0), reminder.Due);
    }

    [Theory]
    [InlineData("2026-11-27T15:00", FollowUpPlanner.MorningWindow, "2026-11-30T09:00")] // Friday afternoon → Monday morning
    [InlineData("2026-11-24T09:00", FollowUpPlanner.AfternoonWindow, "2026-11-24T12:00")] // morning → noon the same day
    [InlineData("2026-11-24T09:00", FollowUpPlanner.MorningWindow, "2026-11-24T09:00")] // already in the window
    [InlineData("2026-11-24T17:00", FollowUpPlanner.AfternoonWindow, "2026-11-24T17:00")]
    [InlineData("2026-11-24T20:00", FollowUpPlanner.AfternoonWindow, "2026-11-25T12:00")] // after hours → next afternoon
    [InlineData("2026-11-24T20:00", "随时", "2026-11-25T09:00")] // any time → next opening
    [InlineData("2026-09-30T15:00", FollowUpPlanner.MorningWindow, "2026-10-08T09:00")] // over the National Day holiday
    [InlineData("2026-10-09T15:00", FollowUpPlanner.MorningWindow, "2026-10-10T09:00")] // onto a make-up Saturday
    public void CallbackTime_LiesInTheWorkersWindow_OnWorkingTime(string askedAt, string window, string expected)
    {
        var time = _h.Planner.CallbackTime(Local(askedAt), window);

        Assert.Equal(Local(expected), time);
        Assert.True(_h.Calendar.IsWorkingTime(time));
    }

    [Fact]
    public void CallbackTime_AfternoonWindow_WaitsForTheEndOfTheLunchBreak()
    {
        var calendar = Calendar("09:00-12:00,13:30-17:30");
        var planner = new FollowUpPlanner(calendar, new FollowUpOptions());

        Assert.Equal(Cst(2026, 11, 24, 13, 30), planner.CallbackTime(Cst(2026, 11, 24, 10, 0), FollowUpPlanner.AfternoonWindow));
    }

    [Fact]
    public async Task Plan_ResolvedCase_AsksTheSurveyAfterTheDelay_AndNothingElse()
    {
        var opened = await _h.OpenAsync(phone: Phone, window: FollowUpPlanner.AfternoonWindow);
        await _h.RunWhenDueAsync(opened.Id, FollowUpKind.NotifyOperators);
        await _h.Workflow.ClaimAsync(opened.Id, Operator, asAdmin: false, Ct);
        _h.Clock.Advance(TimeSpan.FromMinutes(20));

        var resolved = await _h.Workflow.ResolveAsync(opened.Id, Operator, "已答复", asAdmin: false, Ct);

        var survey = Assert.Single(_h.Planner.Plan(resolved));
        Assert.Equal(FollowUpKind.Survey, survey.Kind);
        Assert.Equal(TuesdayMorning.AddMinutes(20) + _h.Options.SurveyDelay, survey.Due);
    }

    [Fact]
    public async Task Plan_SurveySentWithoutAScore_ClosesUnratedAfterTheAnswerWindow()
    {
        var resolved = await _h.ResolvedAsync();
        await _h.RunWhenDueAsync(resolved.Id, FollowUpKind.Survey);
        var sentAt = _h.Clock.GetUtcNow();

        var plan = _h.Planner.Plan(await _h.ReadAsync(resolved.Id));

        Assert.DoesNotContain(plan, p => p.Kind == FollowUpKind.Survey);
        Assert.Equal(sentAt + _h.Options.SurveyAnswerWindow, Assert.Single(plan, p => p.Kind == FollowUpKind.CloseUnrated).Due);
    }

    [Fact]
    public async Task Plan_WaitingForWorker_AutoClosesAfterTheWait()
    {
        var (c, _) = await _h.WaitingForWorkerAsync();

        var autoClose = Assert.Single(_h.Planner.Plan(c), p => p.Kind == FollowUpKind.AutoClose);

        Assert.Equal(TuesdayMorning + _h.Options.AutoCloseWaitingForWorker, autoClose.Due);
    }

    [Fact]
    public async Task Plan_WaitingForWorker_SecondOperatorMessage_MovesTheAutoCloseToTheLastMessage()
    {
        var (c, _) = await _h.WaitingForWorkerAsync();
        var before = Assert.Single(_h.Planner.Plan(c), p => p.Kind == FollowUpKind.AutoClose);
        _h.Clock.Advance(TimeSpan.FromHours(5));
        var writtenAgainAt = _h.Clock.GetUtcNow();

        var (again, _) = await _h.Workflow.SendOperatorMessageAsync(c.Id, Operator, "合同拍好了吗？", Ct);

        var after = Assert.Single(_h.Planner.Plan(again), p => p.Kind == FollowUpKind.AutoClose);
        Assert.Equal(CaseStatus.WaitingForWorker, again.Status);
        Assert.Equal(TuesdayMorning + _h.Options.AutoCloseWaitingForWorker, before.Due);
        Assert.Equal(writtenAgainAt + _h.Options.AutoCloseWaitingForWorker, after.Due);
        Assert.NotEqual(before.Key, after.Key);
    }

    [Fact]
    public async Task Plan_ClosedCase_PlansNothing()
    {
        var resolved = await _h.ResolvedAsync();
        var (closed, _) = await _h.Workflow.RecordSurveyAsync(resolved.Id, 5, Ct);

        Assert.Equal(CaseStatus.Closed, closed.Status);
        Assert.Null(closed.FollowUp.NotifiedAt);
        Assert.Empty(_h.Planner.Plan(closed));
    }

    [Fact]
    public async Task Plan_IsTheSame_ForTheCaseReadBackFromTheStore()
    {
        var opened = await _h.OpenAsync(CasePriority.High, Phone, FollowUpPlanner.AfternoonWindow);

        var reread = await _h.ReadAsync(opened.Id);

        Assert.Equal(_h.Planner.Plan(opened), _h.Planner.Plan(reread));
    }

    [Fact]
    public async Task Plan_AfterReopening_HasANewDeadline_WithNewKeys()
    {
        var opened = await _h.OpenAsync(CasePriority.Normal);
        var before = _h.Planner.Plan(opened).Where(p => p.Kind is FollowUpKind.RemindDeadline or FollowUpKind.Escalate).ToList();
        await _h.Workflow.ClaimAsync(opened.Id, Operator, asAdmin: false, Ct);
        await _h.Workflow.ResolveAsync(opened.Id, Operator, "已答复", asAdmin: false, Ct);
        _h.Clock.Advance(TimeSpan.FromHours(2));

        var (reopened, _) = await _h.Workflow.RecordSurveyAsync(opened.Id, 1, Ct);

        var after = _h.Planner.Plan(reopened).Where(p => p.Kind is FollowUpKind.RemindDeadline or FollowUpKind.Escalate).ToList();
        Assert.Equal([FollowUpKind.RemindDeadline, FollowUpKind.Escalate], after.Select(p => p.Kind));
        Assert.Equal(Cst(2026, 11, 25, 12, 0), reopened.FirstResponseDue);
        Assert.Empty(after.Select(p => p.Key).Intersect(before.Select(p => p.Key), StringComparer.Ordinal));
        Assert.All(after, p => Assert.True(p.Due > before.Single(b => b.Kind == p.Kind).Due));
    }

    public void Dispose() => _h.Dispose();

    /// <summary>"2026-11-24T09:00" in Beijing.</summary>
    private static DateTimeOffset Local(string text) =>
        new(DateTime.ParseExact(text, "yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture), Shanghai);
}
