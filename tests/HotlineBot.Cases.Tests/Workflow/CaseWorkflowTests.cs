using HotlineBot.Cases.FollowUps;
using HotlineBot.Cases.Workflow;
using static HotlineBot.Cases.Tests.Scheduling.SchedulingFixtures;
using static HotlineBot.Cases.Tests.Workflow.WorkflowHarness;

namespace HotlineBot.Cases.Tests.Workflow;

public sealed class CaseWorkflowTests : IDisposable
{
    private readonly WorkflowHarness _h = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SendOperatorMessage_ByAnOperatorWhoDoesNotHoldTheCase_IsRefused_AndChangesNothing()
    {
        var claimed = await _h.ClaimedAsync();
        var unclaimed = await _h.OpenAsync(conversationId: "conv-2");

        var notHolder = await Assert.ThrowsAsync<CaseNotHeldException>(() =>
            _h.Workflow.SendOperatorMessageAsync(claimed.Id, OtherOperator, "您好", Ct));
        var noHolder = await Assert.ThrowsAsync<CaseNotHeldException>(() =>
            _h.Workflow.SendOperatorMessageAsync(unclaimed.Id, Operator, "您好", Ct));

        Assert.Equal(Operator, notHolder.Assignee);
        Assert.Null(noHolder.Assignee);
        foreach (var before in new[] { claimed, unclaimed })
        {
            var after = await _h.ReadAsync(before.Id);
            Assert.Equal(before.Version, after.Version);
            Assert.Empty(after.Deliveries);
            Assert.Empty(after.Transcript);
        }
    }

    [Fact]
    public async Task SendOperatorMessage_WaitsForTheWorker_MasksTheTranscript_AndQueuesTheMessage()
    {
        var claimed = await _h.ClaimedAsync();
        _h.Scheduler.Clear();
        const string Text = "  您好，我是李老师。方便的话打我们电话010-12345678，或者把你的手机号13912345678再确认一下。  ";

        var (c, delivery) = await _h.Workflow.SendOperatorMessageAsync(claimed.Id, Operator, Text, Ct);

        var stored = await _h.ReadAsync(c.Id);
        Assert.Equal(CaseStatus.WaitingForWorker, stored.Status);
        Assert.Equal(("ask-worker", Operator), (stored.History[^1].Action, stored.History[^1].Actor));
        var line = Assert.Single(stored.Transcript);
        Assert.Equal(TranscriptRole.Operator, line.Role);
        Assert.Equal("您好，我是李老师。方便的话打我们电话010-****5678，或者把你的手机号139****5678再确认一下。", line.Text);
        var queued = Assert.Single(stored.Deliveries);
        Assert.Equal(delivery.Id, queued.Id);
        Assert.Equal((DeliveryKind.Operator, Operator, DeliveryState.Pending), (queued.Kind, queued.Author, queued.State));
        Assert.Equal(Text.Trim(), queued.Text); // the worker gets the words as written
        Assert.Equal([new ScheduledDelivery(c.Id, delivery.Id, _h.Clock.GetUtcNow())], _h.Scheduler.Deliveries);
        Assert.Equal([FollowUpKind.AutoClose], _h.Scheduler.FollowUps.Select(p => p.Kind));
    }

    [Fact]
    public async Task SendOperatorMessage_RetriedAfterAConflict_QueuesTheMessageOnce()
    {
        var claimed = await _h.ClaimedAsync();
        _h.Scheduler.Clear();
        _h.Contested.BeforeNextUpdate(() => _h.Workflow.SetCallbackAsync(claimed.Id, Phone, null, Ct));

        var (_, delivery) = await _h.ContestedWorkflow.SendOperatorMessageAsync(claimed.Id, Operator, "您好", Ct);

        var stored = await _h.ReadAsync(claimed.Id);
        Assert.Equal(delivery.Id, Assert.Single(stored.Deliveries).Id);
        Assert.Equal(Phone, stored.Worker.CallbackPhone); // the competing change survived
        Assert.Equal(CaseStatus.WaitingForWorker, stored.Status);
        Assert.Equal([delivery.Id], _h.Scheduler.Deliveries.Select(d => d.DeliveryId));
        Assert.Single(stored.Transcript);
    }

    [Fact]
    public async Task SendOperatorMessage_AfterTheWorkerReplied_WaitsAgain_AndRecordsTheNewResponse()
    {
        var (c, _) = await _h.WaitingForWorkerAsync();
        await _h.Workflow.RelayFromWorkerAsync(c.Id, "好的", Ct);
        _h.Clock.Advance(TimeSpan.FromMinutes(10));

        await _h.Workflow.SendOperatorMessageAsync(c.Id, Operator, "收到，我看一下", Ct);

        var stored = await _h.ReadAsync(c.Id);
        Assert.Equal(CaseStatus.WaitingForWorker, stored.Status);
        Assert.Equal(TuesdayMorning + TimeSpan.FromMinutes(10), stored.FollowUp.FirstRespondedAt);
        Assert.Equal(2, stored.Deliveries.Count);
    }

    [Fact]
    public async Task RelayFromWorker_AnnouncesTheOperatorOnce_AndHandsTheCaseBackToThem()
    {
        var (c, _) = await _h.WaitingForWorkerAsync();

        var first = await _h.Workflow.RelayFromWorkerAsync(c.Id, "合同拍好了，我电话13812348000", Ct);
        var afterFirst = await _h.ReadAsync(c.Id);
        var second = await _h.Workflow.RelayFromWorkerAsync(c.Id, "还在吗", Ct);
        var afterSecond = await _h.ReadAsync(c.Id);

        Assert.Equal((true, Operator), first);
        Assert.Equal((false, Operator), second);
        Assert.Equal(CaseStatus.WaitingForOperator, afterFirst.Status);
        Assert.Equal(("worker-replied", "worker"), (afterFirst.History[^1].Action, afterFirst.History[^1].Actor));
        Assert.Equal(Operator, afterFirst.FollowUp.RelayAnnouncedTo);
        Assert.Equal(afterFirst.Version, afterSecond.Version); // nothing left to change but the transcript
        Assert.Equal(
            [(TranscriptRole.Worker, "合同拍好了，我电话138****8000"), (TranscriptRole.Worker, "还在吗")],
            afterSecond.Transcript.Skip(1).Select(l => (l.Role, l.Text)));
        Assert.Equal(2, _h.Notifier.OfKind("worker-message").Count);
        Assert.All(_h.Notifier.OfKind("worker-message"), n => Assert.Equal((NotificationAudience.Assignee, Operator), (n.Audience, n.Operator)));
    }

    [Fact]
    public async Task Claim_ByAnotherOperator_IsRefused_WhileSomeoneHoldsTheCase()
    {
        var (c, _) = await _h.WaitingForWorkerAsync();
        await _h.Workflow.RelayFromWorkerAsync(c.Id, "合同拍好了", Ct);

        var refused = await Assert.ThrowsAsync<CaseNotHeldException>(() => _h.Workflow.ClaimAsync(c.Id, OtherOperator, asAdmin: false, Ct));

        Assert.Equal(Operator, refused.Assignee);
        Assert.Equal(Operator, (await _h.ReadAsync(c.Id)).Assignee);
    }

    [Fact]
    public async Task RelayFromWorker_AnnouncesAgain_WhenAnotherOperatorTakesTheCase()
    {
        var (c, _) = await _h.WaitingForWorkerAsync();
        await _h.Workflow.RelayFromWorkerAsync(c.Id, "合同拍好了", Ct);
        await _h.Workflow.ClaimAsync(c.Id, OtherOperator, asAdmin: true, Ct);

        var relayed = await _h.Workflow.RelayFromWorkerAsync(c.Id, "换人了吗", Ct);

        Assert.Equal((true, OtherOperator), relayed);
        Assert.Equal(OtherOperator, (await _h.ReadAsync(c.Id)).FollowUp.RelayAnnouncedTo);
    }

    [Fact]
    public async Task RecordSurvey_GoodScore_ClosesTheCase()
    {
        var c = await _h.ResolvedAsync();
        await _h.RunWhenDueAsync(c.Id, FollowUpKind.Survey);

        var (closed, reopened) = await _h.Workflow.RecordSurveyAsync(c.Id, 5, Ct);

        Assert.False(reopened);
        Assert.Equal(CaseStatus.Closed, closed.Status);
        Assert.Equal(5, closed.FollowUp.SurveyScore);
        Assert.Equal(
            [("survey", "5"), ("close", "评分 5")],
            closed.History.TakeLast(2).Select(e => (e.Action, e.Note)));
        Assert.Empty(_h.Notifier.OfKind("reopened"));
    }

    [Fact]
    public async Task RecordSurvey_LowScore_ReopensForTheSameOperator_WithAFreshDeadline()
    {
        var c = await _h.ResolvedAsync();
        await _h.RunWhenDueAsync(c.Id, FollowUpKind.Survey);
        _h.Scheduler.Clear();

        var (after, reopened) = await _h.Workflow.RecordSurveyAsync(c.Id, 2, Ct);

        var stored = await _h.ReadAsync(c.Id);
        Assert.True(reopened);
        Assert.Equal(CaseStatus.WaitingForOperator, stored.Status);
        Assert.Equal(Operator, stored.Assignee);
        Assert.Null(stored.Resolution);
        Assert.Null(stored.FollowUp.FirstRespondedAt);
        Assert.Null(stored.FollowUp.SurveySentAt);
        Assert.Null(stored.FollowUp.SurveyScore);
        Assert.Equal(_h.Deadlines.FirstResponseDue(_h.Clock.GetUtcNow(), CasePriority.Normal), stored.FirstResponseDue);
        Assert.Equal(Cst(2026, 11, 25, 11, 0), stored.FirstResponseDue); // surveyed at 11:00, one working day later
        Assert.Equal([("survey", "2"), ("reopen", "职工评分 2")], stored.History.TakeLast(2).Select(e => (e.Action, e.Note)));
        Assert.Equal(after.Version, stored.Version);
        Assert.Equal(
            [(FollowUpKind.RemindDeadline, Cst(2026, 11, 25, 10, 55)), (FollowUpKind.Escalate, Cst(2026, 11, 25, 11, 0))],
            _h.Scheduler.FollowUps.Select(p => (p.Kind, p.Due)));
        Assert.Equal(NotificationAudience.Operators, Assert.Single(_h.Notifier.OfKind("reopened")).Audience);
    }

    [Theory]
    [InlineData(5, 1)]
    [InlineData(2, 5)]
    public async Task RecordSurvey_SecondScore_ChangesNothing(int first, int second)
    {
        var c = await _h.ResolvedAsync();
        await _h.Workflow.RecordSurveyAsync(c.Id, first, Ct);
        var afterFirst = await _h.ReadAsync(c.Id);
        var notificationsAfterFirst = _h.Notifier.Sent.Count;

        var (afterSecond, reopened) = await _h.Workflow.RecordSurveyAsync(c.Id, second, Ct);

        Assert.False(reopened);
        Assert.Equal(afterFirst.Version, (await _h.ReadAsync(c.Id)).Version);
        Assert.Equal(afterFirst.Status, afterSecond.Status);
        Assert.Single(afterSecond.History, e => e.Action == "survey");
        Assert.Equal(notificationsAfterFirst, _h.Notifier.Sent.Count);
    }

    [Fact]
    public async Task RecordSurvey_LowScoreThatLosesARaceToAGoodScore_ReportsNoReopening()
    {
        // The worker taps 2 while another request records their 5: the 2 retries, finds the case closed
        // and must not tell the worker that it was reopened.
        var c = await _h.ResolvedAsync();
        _h.Contested.BeforeNextUpdate(() => _h.Workflow.RecordSurveyAsync(c.Id, 5, Ct));

        var (after, reopened) = await _h.ContestedWorkflow.RecordSurveyAsync(c.Id, 2, Ct);

        Assert.False(reopened);
        Assert.Equal(CaseStatus.Closed, after.Status);
        Assert.Equal(5, after.FollowUp.SurveyScore);
        Assert.Empty(_h.Notifier.OfKind("reopened"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public async Task RecordSurvey_ScoreOutsideOneToFive_IsRefused(int score)
    {
        var c = await _h.ResolvedAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _h.Workflow.RecordSurveyAsync(c.Id, score, Ct));
        Assert.Equal(CaseStatus.Resolved, (await _h.ReadAsync(c.Id)).Status);
    }

    [Theory]
    [InlineData(" +86 138-1234-8000 ", "13812348000", "138****8000")]
    [InlineData("０１０ １２３４５６７８", "010-12345678", "010-****5678")]
    public async Task SetCallback_NormalizesThePhone_RecordsItMasked_AndSchedulesTheReminder(string given, string normalized, string masked)
    {
        var c = await _h.OpenAsync();
        _h.Scheduler.Clear();

        var after = await _h.Workflow.SetCallbackAsync(c.Id, given, FollowUpPlanner.AfternoonWindow, Ct);

        var stored = await _h.ReadAsync(c.Id);
        Assert.Equal(normalized, stored.Worker.CallbackPhone);
        Assert.Equal(FollowUpPlanner.AfternoonWindow, stored.FollowUp.CallbackWindow);
        var note = Assert.Single(stored.History, e => e.Action == "callback");
        Assert.Equal(($"{masked}；工作日下午", "worker"), (note.Note, note.Actor));
        Assert.All(stored.History, e => Assert.DoesNotContain(normalized, e.Note ?? string.Empty, StringComparison.Ordinal));
        var reminder = Assert.Single(_h.Scheduler.FollowUps);
        Assert.Equal((FollowUpKind.CallbackReminder, Cst(2026, 11, 24, 12, 0)), (reminder.Kind, reminder.Due));
        Assert.Equal(after.Version, stored.Version);
    }

    [Fact]
    public async Task SetCallback_WithoutAWindow_MeansAnyTime()
    {
        var c = await _h.OpenAsync();

        var after = await _h.Workflow.SetCallbackAsync(c.Id, Phone, null, Ct);

        Assert.Equal("随时", after.FollowUp.CallbackWindow);
        Assert.Equal(TuesdayMorning, Assert.Single(_h.Planner.Plan(after), p => p.Kind == FollowUpKind.CallbackReminder).Due);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("")]
    [InlineData("1381234800")]
    public async Task SetCallback_InvalidNumber_IsRefused_AndChangesNothing(string phone)
    {
        var c = await _h.OpenAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => _h.Workflow.SetCallbackAsync(c.Id, phone, null, Ct));

        var stored = await _h.ReadAsync(c.Id);
        Assert.Equal(c.Version, stored.Version);
        Assert.Null(stored.Worker.CallbackPhone);
    }

    [Fact]
    public async Task SetCallback_OnAClosedCase_ChangesNothing()
    {
        var c = await _h.ResolvedAsync();
        var (closed, _) = await _h.Workflow.RecordSurveyAsync(c.Id, 4, Ct);

        await _h.Workflow.SetCallbackAsync(c.Id, Phone, null, Ct);

        var stored = await _h.ReadAsync(c.Id);
        Assert.Equal(closed.Version, stored.Version);
        Assert.Null(stored.Worker.CallbackPhone);
    }

    [Fact]
    public async Task Attach_ToACaseWaitingForTheWorker_KeepsIt_GivesItBackToItsOperator_AndTellsThem()
    {
        var (c, _) = await _h.WaitingForWorkerAsync();

        var (after, added) = await _h.Workflow.AttachAsync(c.Id, "media-1", "image/jpeg", "http://mmbiz.qpic.cn/pic-1", Ct);

        Assert.NotNull(added);
        Assert.Equal(added, Assert.Single((await _h.ReadAsync(c.Id)).Attachments));
        // The picture the operator asked for is an answer: the case does not auto-close as unanswered.
        Assert.Equal(CaseStatus.WaitingForOperator, after.Status);
        Assert.DoesNotContain(_h.Planner.Plan(after), p => p.Kind == FollowUpKind.AutoClose);
        var told = Assert.Single(_h.Notifier.OfKind("worker-message"));
        Assert.Equal((NotificationAudience.Assignee, Operator, $"工单 {c.Id} 的职工发来图片。"), (told.Audience, told.Operator, told.Text));
    }

    [Fact]
    public async Task Attach_ToAClosedCase_ChangesNothing()
    {
        var c = await _h.ResolvedAsync();
        var (closed, _) = await _h.Workflow.RecordSurveyAsync(c.Id, 4, Ct);

        var (after, added) = await _h.Workflow.AttachAsync(c.Id, "media-1", "image/jpeg", "http://mmbiz.qpic.cn/pic-1", Ct);

        Assert.Null(added);
        Assert.Equal(closed.Version, (await _h.ReadAsync(c.Id)).Version);
        Assert.Empty(after.Attachments);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("file:///etc/passwd")]
    [InlineData("/relative/pic.jpg")]
    [InlineData("")]
    public async Task Attach_WithAnAddressThatIsNoWebLink_IsRefused_AndChangesNothing(string url)
    {
        var c = await _h.OpenAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => _h.Workflow.AttachAsync(c.Id, "x", "image/jpeg", url, Ct));

        Assert.Equal(c.Version, (await _h.ReadAsync(c.Id)).Version);
    }

    [Fact]
    public async Task SetCallback_Again_ReplacesTheReminder_AndTheOldOneDoesNothing()
    {
        var c = await _h.OpenAsync(phone: Phone, window: FollowUpPlanner.AfternoonWindow);
        var old = await _h.PlannedAsync(c.Id, FollowUpKind.CallbackReminder);
        _h.Clock.Advance(TimeSpan.FromMinutes(30));
        await _h.Workflow.SetCallbackAsync(c.Id, "13912345678", FollowUpPlanner.AfternoonWindow, Ct);
        var replacement = await _h.PlannedAsync(c.Id, FollowUpKind.CallbackReminder);
        _h.Clock.AdvanceTo(old.Due);

        var oldResult = await _h.RunAsync(old);
        var newResult = await _h.RunAsync(replacement);

        Assert.NotEqual(old.Key, replacement.Key);
        Assert.Equal(FollowUpResult.Obsolete, oldResult);
        Assert.Equal(FollowUpResult.Done, newResult);
        Assert.Contains("139****5678", Assert.Single(_h.Notifier.OfKind("callback")).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RehydrateAsync_SchedulesThePendingFollowUpsAndDeliveries_OfEveryUnfinishedCase()
    {
        var cases = await UnfinishedAndFinishedCasesAsync();
        _h.Scheduler.Clear();

        var count = await _h.FollowUps.RehydrateAsync(Ct);

        var unfinished = await _h.Store.ListUnfinishedAsync(Ct);
        var expectedFollowUps = unfinished.SelectMany(_h.Planner.Plan).ToList();
        var expectedDeliveries = unfinished
            .SelectMany(c => c.Deliveries.Where(d => d.State == DeliveryState.Pending).Select(d => new ScheduledDelivery(c.Id, d.Id, d.NextAttemptAt)))
            .ToList();
        Assert.Equal([cases.ClosedWithNotice, cases.New, cases.WaitingForWorker, cases.Resolved], unfinished.Select(c => c.Id));
        Assert.Equal(expectedFollowUps, _h.Scheduler.FollowUps);
        Assert.Equal(expectedDeliveries, _h.Scheduler.Deliveries);
        Assert.Equal(expectedFollowUps.Count + expectedDeliveries.Count, count);
        Assert.Equal(
            [FollowUpKind.NotifyOperators, FollowUpKind.RemindDeadline, FollowUpKind.Escalate],
            _h.Scheduler.FollowUps.Where(p => p.CaseId == cases.New).Select(p => p.Kind));
        Assert.Contains(_h.Scheduler.Deliveries, d => d.CaseId == cases.ClosedWithNotice);
        Assert.DoesNotContain(_h.Scheduler.FollowUps, p => p.CaseId == cases.ClosedWithNotice || p.CaseId == cases.Finished);
        Assert.DoesNotContain(_h.Scheduler.Deliveries, d => d.CaseId == cases.Finished);
    }

    [Fact]
    public async Task RehydrateAsync_Twice_SchedulesTheSameJobs_AndRunningEachOfThemTwiceHasEachEffectOnce()
    {
        var cases = await UnfinishedAndFinishedCasesAsync();
        var historyBefore = (await _h.Store.ListAsync(new CaseQuery(PageSize: 100), Ct)).Items.ToDictionary(c => c.Id, c => c.History.Count, StringComparer.Ordinal);
        var notificationsBefore = _h.Notifier.Sent.Count;
        var sentBefore = _h.Messenger.Sent.Count;
        _h.Scheduler.Clear();

        await _h.FollowUps.RehydrateAsync(Ct);
        var firstFollowUps = _h.Scheduler.FollowUps;
        var firstDeliveries = _h.Scheduler.Deliveries;
        _h.Scheduler.Clear();
        await _h.FollowUps.RehydrateAsync(Ct);
        Assert.Equal(firstFollowUps, _h.Scheduler.FollowUps);
        Assert.Equal(firstDeliveries, _h.Scheduler.Deliveries);

        // Both starts' jobs run once everything is due (as after a long outage), duplicates side by side.
        var followUps = firstFollowUps.Concat(_h.Scheduler.FollowUps).ToList();
        var deliveries = firstDeliveries.Concat(_h.Scheduler.Deliveries).ToList();
        _h.Clock.Advance(TimeSpan.FromDays(4));
        var results = new List<FollowUpResult>();
        foreach (var job in followUps)
        {
            results.Add(await _h.RunAsync(job));
        }

        foreach (var job in deliveries)
        {
            await _h.DeliverAsync(job.CaseId, job.DeliveryId);
        }

        Assert.Equal(followUps.Count / 2, results.Count(r => r == FollowUpResult.Done));
        Assert.Equal(followUps.Count / 2, results.Count(r => r == FollowUpResult.Obsolete));
        Assert.Equal(firstDeliveries.Select(d => d.DeliveryId).Order(StringComparer.Ordinal), _h.Messenger.Sent.Skip(sentBefore).Select(m => m.DeliveryId).Order(StringComparer.Ordinal));

        var effects = new List<(string CaseId, string Action)>();
        foreach (var (id, count) in historyBefore)
        {
            effects.AddRange((await _h.ReadAsync(id)).History.Skip(count).Select(e => (id, e.Action)));
        }

        Assert.Equal(effects.Count, effects.Distinct().Count());
        Assert.Equal(
            [
                (cases.New, "escalate"), (cases.New, "notify-operators"), (cases.New, "remind"),
                // Cases operators took before the notice went out are not announced as new.
                (cases.WaitingForWorker, "close"),
                (cases.Resolved, "survey-sent"),
            ],
            Ordered(effects));
        var told = _h.Notifier.Sent.Skip(notificationsBefore).Select(n => (n.CaseId, n.Kind)).ToList();
        Assert.Equal(told.Count, told.Distinct().Count());
        Assert.Equal(
            [
                (cases.New, "deadline"), (cases.New, "escalated"), (cases.New, "new-case"),
                (cases.WaitingForWorker, "auto-closed"),
            ],
            Ordered(told));
    }

    public void Dispose() => _h.Dispose();

    private static IEnumerable<(string CaseId, string What)> Ordered(IEnumerable<(string CaseId, string What)> effects) =>
        effects.OrderBy(e => e.CaseId, StringComparer.Ordinal).ThenBy(e => e.What, StringComparer.Ordinal);

    /// <summary>
    /// One case in each state rebuilding cares about: two closed days ago (one with its closing notice
    /// still undelivered, one all done), then three opened now (new, waiting for the worker, resolved).
    /// </summary>
    private async Task<(string New, string WaitingForWorker, string Resolved, string ClosedWithNotice, string Finished)> UnfinishedAndFinishedCasesAsync()
    {
        var (closedWithNotice, question) = await _h.WaitingForWorkerAsync(conversationId: "conv-closed-notice");
        await _h.DeliverAsync(closedWithNotice.Id, question.Id);
        var finished = await _h.ResolvedAsync("conv-finished");
        await _h.DeliverAsync(finished.Id, Assert.Single(finished.Deliveries).Id);
        await _h.Workflow.RecordSurveyAsync(finished.Id, 5, Ct);
        await _h.RunWhenDueAsync(closedWithNotice.Id, FollowUpKind.AutoClose);

        var fresh = await _h.OpenAsync(conversationId: "conv-new");
        var (waiting, _) = await _h.WaitingForWorkerAsync(conversationId: "conv-waiting");
        var resolved = await _h.ResolvedAsync("conv-resolved");
        return (fresh.Id, waiting.Id, resolved.Id, closedWithNotice.Id, finished.Id);
    }
}
