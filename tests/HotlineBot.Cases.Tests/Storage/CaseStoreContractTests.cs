using HotlineBot.Cases.FollowUps;
using HotlineBot.Cases.Lifecycle;
using HotlineBot.Cases.Scheduling;
using HotlineBot.Cases.Tests.Scheduling;
using HotlineBot.Cases.Tests.Workflow;
using HotlineBot.Cases.Workflow;

namespace HotlineBot.Cases.Tests.Storage;

/// <summary>
/// What every <see cref="ICaseStore"/> does, run against each implementation (SQLite here; Redis
/// links this file when it comes). Each test gets a fresh, empty store on a clock it controls.
/// </summary>
public abstract class CaseStoreContractTests
{
    private ICaseStore? _store;

    /// <summary>24 Nov 2026, 10:00 in Beijing.</summary>
    protected TestClock Clock { get; } = new(new DateTimeOffset(2026, 11, 24, 2, 0, 0, TimeSpan.Zero));

    protected ICaseStore Store => _store ??= CreateStore(Clock);

    protected CaseStateMachine Machine => new(Clock);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A new, empty store for one test, dating ids in Asia/Shanghai.</summary>
    protected abstract ICaseStore CreateStore(TimeProvider clock);

    [Fact]
    public async Task Create_AssignsReadableIdOfTheDay_AndVersionOne()
    {
        var created = await Store.CreateAsync(Opened(TestCases.Draft()), Ct);

        Assert.Equal("12351-20261124-0001", created.Id);
        Assert.Equal(1, created.Version);
        Assert.Equal(Clock.GetUtcNow(), created.CreatedAt);
        Assert.NotNull(await Store.GetAsync(created.Id, Ct));
    }

    [Fact]
    public async Task Create_DatesTheIdInTheHotlinesTimeZone()
    {
        var draft = Opened(TestCases.Draft());
        draft.CreatedAt = new DateTimeOffset(2026, 11, 24, 16, 30, 0, TimeSpan.Zero); // 00:30 on the 25th in Beijing

        var created = await Store.CreateAsync(draft, Ct);

        Assert.Equal("12351-20261125-0001", created.Id);
    }

    [Fact]
    public async Task Create_CountsPerDay_AndStartsAgainOnANewDay()
    {
        var first = await Store.CreateAsync(Opened(TestCases.Draft()), Ct);
        var second = await Store.CreateAsync(Opened(TestCases.Draft()), Ct);
        Clock.Advance(TimeSpan.FromDays(1));
        var nextDay = await Store.CreateAsync(Opened(TestCases.Draft()), Ct);

        Assert.Equal("12351-20261124-0001", first.Id);
        Assert.Equal("12351-20261124-0002", second.Id);
        Assert.Equal("12351-20261125-0001", nextDay.Id);
    }

    [Fact]
    public async Task Create_GivesUniqueIds_To50ConcurrentCreatesOnTheSameDay()
    {
        var created = await Task.WhenAll(Enumerable.Range(0, 50)
            .Select(i => Task.Run(() => Store.CreateAsync(Opened(TestCases.Draft($"conv-{i}")), Ct), Ct)));

        var ids = created.Select(c => c.Id).ToList();
        Assert.Equal(50, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.StartsWith("12351-20261124-", id, StringComparison.Ordinal));
        Assert.Equal(
            Enumerable.Range(1, 50).Select(n => CaseIds.Format(new DateOnly(2026, 11, 24), n)),
            ids.Order(StringComparer.Ordinal));
        Assert.Equal(50, (await Store.ListAsync(new CaseQuery(PageSize: 100), Ct)).Total);
    }

    [Fact]
    public async Task Get_RoundTripsEveryField()
    {
        var draft = Opened(TestCases.Draft());
        draft.FirstResponseDue = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.FromHours(8));
        draft.Transcript.Add(new TranscriptLine(Clock.GetUtcNow().AddMinutes(-2), TranscriptRole.Worker, "老板不发工资怎么办 😡"));
        draft.Transcript.Add(new TranscriptLine(Clock.GetUtcNow().AddMinutes(-1), TranscriptRole.Bot, "可以向劳动监察大队投诉……"));
        var created = await Store.CreateAsync(draft, Ct);
        Machine.Apply(created, new ClaimTransition("operator-li"), "operator-li", "我来处理");
        Machine.Apply(created, new ResolveTransition("已联系劳动监察"), "operator-li");
        await Store.UpdateAsync(created, Ct);

        var read = await Store.GetAsync(created.Id, Ct);

        Assert.NotNull(read);
        Assert.Equal(created.Id, read.Id);
        Assert.Equal(CaseStatus.Resolved, read.Status);
        Assert.Equal(CasePriority.High, read.Priority);
        Assert.Equal(CaseCategory.LegalAid, read.Category);
        Assert.Equal(created.Worker, read.Worker);
        Assert.Equal("13812348000", read.Worker.CallbackPhone);
        Assert.Equal("138****8000", read.Worker.MaskedPhone);
        Assert.Equal(created.Description, read.Description);
        Assert.Equal(created.FirstResponseDue, read.FirstResponseDue);
        Assert.Equal(created.FirstResponseDue!.Value.Offset, read.FirstResponseDue!.Value.Offset);
        Assert.Equal("operator-li", read.Assignee);
        Assert.Equal("已联系劳动监察", read.Resolution);
        Assert.Equal(created.CreatedAt, read.CreatedAt);
        Assert.Equal(created.UpdatedAt, read.UpdatedAt);
        Assert.Equal(2, read.Version);
        Assert.Equal(created.Transcript, read.Transcript);
        Assert.Equal(created.History, read.History);
        Assert.Equal(["open", "claim", "resolve"], read.History.Select(e => e.Action));
    }

    [Fact]
    public async Task Get_ReturnsNull_ForUnknownId()
    {
        Assert.Null(await Store.GetAsync("12351-20261124-9999", Ct));
    }

    [Fact]
    public async Task List_FiltersByStatus_PagesAndCountsTheTotal()
    {
        var all = new List<HotlineCase>();
        for (var i = 0; i < 7; i++)
        {
            Clock.Advance(TimeSpan.FromMinutes(1));
            all.Add(await Store.CreateAsync(Opened(TestCases.Draft($"conv-{i}")), Ct));
        }

        foreach (var c in all.Take(3))
        {
            Machine.Apply(c, new ClaimTransition("operator-li"), "operator-li");
            await Store.UpdateAsync(c, Ct);
        }

        var newFirst = await Store.ListAsync(new CaseQuery([CaseStatus.New], Page: 1, PageSize: 3), Ct);
        var newLast = await Store.ListAsync(new CaseQuery([CaseStatus.New], Page: 2, PageSize: 3), Ct);
        var claimed = await Store.ListAsync(new CaseQuery([CaseStatus.Claimed]), Ct);
        var both = await Store.ListAsync(new CaseQuery([CaseStatus.New, CaseStatus.Claimed], PageSize: 100), Ct);
        var beyond = await Store.ListAsync(new CaseQuery(Page: 5, PageSize: 3), Ct);

        Assert.Equal(4, newFirst.Total);
        Assert.Equal(all.Skip(3).Take(3).Select(c => c.Id), newFirst.Items.Select(c => c.Id));
        Assert.Equal([all[6].Id], newLast.Items.Select(c => c.Id));
        Assert.Equal(4, newLast.Total);
        Assert.Equal(3, claimed.Total);
        Assert.All(claimed.Items, c => Assert.Equal(CaseStatus.Claimed, c.Status));
        Assert.Equal(7, both.Total);
        Assert.Equal(all.Select(c => c.Id), both.Items.Select(c => c.Id));
        Assert.Empty(beyond.Items);
        Assert.Equal(7, beyond.Total);
    }

    [Fact]
    public async Task List_RefusesAPageBelowOne()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ListAsync(new CaseQuery(Page: 0), Ct));
    }

    [Fact]
    public async Task Update_RefusesAStaleVersion_AndKeepsTheNewerCase()
    {
        var created = await Store.CreateAsync(Opened(TestCases.Draft()), Ct);
        var first = (await Store.GetAsync(created.Id, Ct))!;
        var second = (await Store.GetAsync(created.Id, Ct))!;
        Machine.Apply(first, new ClaimTransition("operator-li"), "operator-li");
        await Store.UpdateAsync(first, Ct);

        Machine.Apply(second, new ClaimTransition("operator-wang"), "operator-wang");
        var conflict = await Assert.ThrowsAsync<CaseConcurrencyException>(() => Store.UpdateAsync(second, Ct));

        var stored = (await Store.GetAsync(created.Id, Ct))!;
        Assert.Equal(1, conflict.ExpectedVersion);
        Assert.Equal(2, conflict.StoredVersion);
        Assert.Equal("operator-li", stored.Assignee);
        Assert.Equal(2, stored.Version);
        Assert.Equal(1, second.Version);
    }

    [Fact]
    public async Task Update_IncrementsTheVersion_SoTheSameInstanceCanSaveAgain()
    {
        var c = await Store.CreateAsync(Opened(TestCases.Draft()), Ct);
        Machine.Apply(c, new ClaimTransition("operator-li"), "operator-li");
        await Store.UpdateAsync(c, Ct);
        c.Priority = CasePriority.Urgent;
        await Store.UpdateAsync(c, Ct);

        var stored = (await Store.GetAsync(c.Id, Ct))!;
        Assert.Equal(3, c.Version);
        Assert.Equal(3, stored.Version);
        Assert.Equal(CasePriority.Urgent, stored.Priority);
    }

    [Fact]
    public async Task Update_ThrowsNotFound_ForAnUnknownCase()
    {
        var c = await Store.CreateAsync(Opened(TestCases.Draft()), Ct);
        var ghost = (await Store.GetAsync(c.Id, Ct))!;
        ghost.Id = "12351-20991231-0001";

        await Assert.ThrowsAsync<CaseNotFoundException>(() => Store.UpdateAsync(ghost, Ct));
    }

    [Fact]
    public async Task AppendTranscript_AddsLinesInOrder_WithoutChangingTheVersion()
    {
        var draft = Opened(TestCases.Draft());
        draft.Transcript.Add(new TranscriptLine(Clock.GetUtcNow(), TranscriptRole.Bot, "已为您转人工"));
        var c = await Store.CreateAsync(draft, Ct);

        await Store.AppendTranscriptAsync(c.Id, new TranscriptLine(Clock.GetUtcNow().AddSeconds(1), TranscriptRole.Operator, "您好，我是李老师"), Ct);
        await Store.AppendTranscriptAsync(c.Id, new TranscriptLine(Clock.GetUtcNow().AddSeconds(2), TranscriptRole.Worker, "好的谢谢"), Ct);
        Machine.Apply(c, new ClaimTransition("operator-li"), "operator-li");
        await Store.UpdateAsync(c, Ct); // the appends did not make this instance stale

        var stored = (await Store.GetAsync(c.Id, Ct))!;
        Assert.Equal(["已为您转人工", "您好，我是李老师", "好的谢谢"], stored.Transcript.Select(l => l.Text));
        Assert.Equal([TranscriptRole.Bot, TranscriptRole.Operator, TranscriptRole.Worker], stored.Transcript.Select(l => l.Role));
        Assert.Equal(2, stored.Version);
    }

    [Fact]
    public async Task AppendTranscript_ThrowsNotFound_ForAnUnknownCase()
    {
        await Assert.ThrowsAsync<CaseNotFoundException>(() =>
            Store.AppendTranscriptAsync("12351-20261124-0404", new TranscriptLine(Clock.GetUtcNow(), TranscriptRole.Worker, "在吗"), Ct));
    }

    [Fact]
    public async Task ListUnfinished_ReturnsEveryCaseButTheClosed_WhenNothingIsLeftToDeliver()
    {
        var fresh = await Store.CreateAsync(Opened(TestCases.Draft("a")), Ct);
        var resolved = await Store.CreateAsync(Opened(TestCases.Draft("b")), Ct);
        var closed = await Store.CreateAsync(Opened(TestCases.Draft("c")), Ct);
        foreach (var c in new[] { resolved, closed })
        {
            Machine.Apply(c, new ClaimTransition("operator-li"), "operator-li");
            Machine.Apply(c, new ResolveTransition("已答复"), "operator-li");
        }

        Machine.Apply(closed, new CloseTransition(), "system");
        await Store.UpdateAsync(resolved, Ct);
        await Store.UpdateAsync(closed, Ct);

        var unfinished = await Store.ListUnfinishedAsync(Ct);

        Assert.Equal([fresh.Id, resolved.Id], unfinished.Select(c => c.Id));
    }

    [Fact]
    public async Task ListUnfinished_KeepsAClosedCaseWithAPendingDelivery_UntilItIsDelivered()
    {
        var open = await Store.CreateAsync(Opened(TestCases.Draft("a")), Ct);
        var closedWithNotice = await Store.CreateAsync(Opened(TestCases.Draft("b")), Ct);
        var closedQuietly = await Store.CreateAsync(Opened(TestCases.Draft("c")), Ct);
        foreach (var c in new[] { closedWithNotice, closedQuietly })
        {
            Machine.Apply(c, new ClaimTransition("operator-li"), "operator-li");
            Machine.Apply(c, new AskWorkerTransition(), "operator-li");
            Machine.Apply(c, new CloseTransition(), "system", "职工未回复，自动结案");
        }

        var notice = Delivery("d-closed", DeliveryKind.Status);
        closedWithNotice.Deliveries.Add(notice);
        await Store.UpdateAsync(closedWithNotice, Ct);
        await Store.UpdateAsync(closedQuietly, Ct);

        var whilePending = await Store.ListUnfinishedAsync(Ct);
        notice.State = DeliveryState.Delivered;
        notice.DeliveredAt = Clock.GetUtcNow();
        await Store.UpdateAsync(closedWithNotice, Ct);
        var afterDelivery = await Store.ListUnfinishedAsync(Ct);

        Assert.Equal([open.Id, closedWithNotice.Id], whilePending.Select(c => c.Id));
        Assert.Equal([open.Id], afterDelivery.Select(c => c.Id));
    }

    [Fact]
    public async Task ListUnfinished_DropsAClosedCase_WhoseLastDeliveryFailedForGood()
    {
        // A failed message is for the operator to follow up by phone; no job is left to run for it.
        var c = await Store.CreateAsync(Opened(TestCases.Draft()), Ct);
        Machine.Apply(c, new ClaimTransition("operator-li"), "operator-li");
        Machine.Apply(c, new ResolveTransition("已答复"), "operator-li");
        Machine.Apply(c, new CloseTransition(), "worker", "评分 5");
        var notice = Delivery("d-failed", DeliveryKind.Status);
        c.Deliveries.Add(notice);
        await Store.UpdateAsync(c, Ct);
        notice.State = DeliveryState.Failed;
        await Store.UpdateAsync(c, Ct);

        Assert.Empty(await Store.ListUnfinishedAsync(Ct));
    }

    [Fact]
    public async Task Create_KeepsAPendingDeliveryOfTheDraft_InTheUnfinishedList()
    {
        var draft = Opened(TestCases.Draft());
        draft.Deliveries.Add(Delivery("d-welcome", DeliveryKind.Status));

        var created = await Store.CreateAsync(draft, Ct);

        var stored = (await Store.GetAsync(created.Id, Ct))!;
        Assert.Equal("d-welcome", Assert.Single(stored.Deliveries).Id);
        Assert.Equal([created.Id], (await Store.ListUnfinishedAsync(Ct)).Select(x => x.Id));
    }

    [Fact]
    public async Task Get_RoundTripsFollowUpFactsAndDeliveries_ThroughCreateAndUpdate()
    {
        var draft = Opened(TestCases.Draft());
        var at = Clock.GetUtcNow();
        draft.FollowUp.CallbackWindow = "工作日上午";
        draft.Deliveries.Add(Delivery("d-first", DeliveryKind.Operator, "operator-li"));
        var created = await Store.CreateAsync(draft, Ct);
        var afterCreate = (await Store.GetAsync(created.Id, Ct))!;
        var asCreated = Describe(created.Deliveries[0]);

        var f = created.FollowUp;
        f.NotifiedAt = at;
        f.FirstRespondedAt = at.AddMinutes(3);
        f.RemindedFor = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.FromHours(8));
        f.EscalatedFor = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.FromHours(8));
        f.CallbackRemindedAt = at.AddMinutes(4);
        f.SurveySentAt = at.AddHours(1);
        f.SurveyScore = 4;
        f.RelayAnnouncedTo = "operator-li";
        var first = created.Deliveries[0];
        first.State = DeliveryState.Delivered;
        first.Attempts = 2;
        first.NextAttemptAt = at.AddSeconds(40);
        first.DeliveredAt = at.AddSeconds(12);
        first.LastError = null;
        var survey = Delivery("d-survey", DeliveryKind.Survey, choices: ["1", "2", "3", "4", "5"]);
        survey.Attempts = 1;
        survey.NextAttemptAt = at.AddSeconds(10);
        survey.LastError = "HTTP 502 BadGateway";
        created.Deliveries.Add(survey);
        await Store.UpdateAsync(created, Ct);

        var read = (await Store.GetAsync(created.Id, Ct))!;

        Assert.Equal("工作日上午", afterCreate.FollowUp.CallbackWindow);
        Assert.Null(afterCreate.FollowUp.NotifiedAt);
        Assert.Equal([asCreated], afterCreate.Deliveries.Select(Describe));
        Assert.Equal(DeliveryState.Pending, afterCreate.Deliveries[0].State);

        Assert.Equal(f.NotifiedAt, read.FollowUp.NotifiedAt);
        Assert.Equal(f.FirstRespondedAt, read.FollowUp.FirstRespondedAt);
        Assert.Equal(f.RemindedFor, read.FollowUp.RemindedFor);
        Assert.Equal(f.EscalatedFor, read.FollowUp.EscalatedFor);
        Assert.Equal(f.CallbackWindow, read.FollowUp.CallbackWindow);
        Assert.Equal(f.CallbackRemindedAt, read.FollowUp.CallbackRemindedAt);
        Assert.Equal(f.SurveySentAt, read.FollowUp.SurveySentAt);
        Assert.Equal(4, read.FollowUp.SurveyScore);
        Assert.Equal("operator-li", read.FollowUp.RelayAnnouncedTo);
        Assert.Equal(created.Deliveries.Select(Describe), read.Deliveries.Select(Describe));
    }

    [Fact]
    public async Task Get_RoundTripsAttachments_ThroughCreateAndUpdate()
    {
        var draft = Opened(TestCases.Draft());
        var first = new CaseAttachment("a-1", "media-1", "image/jpeg", "http://mmbiz.qpic.cn/pic-1", Clock.GetUtcNow());
        draft.Attachments.Add(first);
        var created = await Store.CreateAsync(draft, Ct);
        var afterCreate = (await Store.GetAsync(created.Id, Ct))!;
        var second = new CaseAttachment("a-2", "合同.pdf", "application/pdf", "https://files.example.cn/contract.pdf?x=1&y=2", Clock.GetUtcNow().AddMinutes(1));
        created.Attachments.Add(second);
        await Store.UpdateAsync(created, Ct);

        var read = (await Store.GetAsync(created.Id, Ct))!;

        Assert.Equal([first], afterCreate.Attachments);
        Assert.Equal([first, second], read.Attachments);
    }

    [Fact]
    public async Task AttachThroughTheWorkflow_IsStored_AndTheSameUrlTwiceIsKeptOnce()
    {
        var notifier = new RecordingNotifier();
        var calendar = SchedulingFixtures.Calendar();
        var options = new FollowUpOptions();
        var workflow = new CaseWorkflow(Store, Machine, new CaseDeadlines(calendar, options), new FollowUpPlanner(calendar, options), new RecordingScheduler(), notifier, Clock);
        var created = await Store.CreateAsync(Opened(TestCases.Draft()), Ct);

        var (_, added) = await workflow.AttachAsync(created.Id, "media-1", "image/jpeg", "http://mmbiz.qpic.cn/pic-1", Ct);
        var (_, again) = await workflow.AttachAsync(created.Id, "media-1", "image/jpeg", "http://mmbiz.qpic.cn/pic-1", Ct);
        var (_, other) = await workflow.AttachAsync(created.Id, "media-2", "image/png", "http://mmbiz.qpic.cn/pic-2", Ct);

        var read = (await Store.GetAsync(created.Id, Ct))!;
        Assert.NotNull(added);
        Assert.NotNull(other);
        Assert.Null(again);
        Assert.Equal([added, other], read.Attachments);
        Assert.Equal(("media-1", "image/jpeg", "http://mmbiz.qpic.cn/pic-1", Clock.GetUtcNow()), (added.Name, added.ContentType, added.Url, added.AddedAt));
        Assert.Equal(["职工发来图片", "职工发来图片"], read.History.Where(e => e.Action == "attachment").Select(e => e.Note));
        Assert.All(read.History.Where(e => e.Action == "attachment"), e => Assert.Equal(("worker", CaseStatus.New), (e.Actor, e.To)));
    }

    [Fact]
    public async Task ListByConversation_ReturnsThatConversationsCases_NewestFirst()
    {
        var older = await Store.CreateAsync(Opened(TestCases.Draft("mine")), Ct);
        await Store.CreateAsync(Opened(TestCases.Draft("someone-else")), Ct);
        Clock.Advance(TimeSpan.FromMinutes(5));
        var newer = await Store.CreateAsync(Opened(TestCases.Draft("mine")), Ct);

        var mine = await Store.ListByConversationAsync("webchat", "mine", Ct);

        Assert.Equal([newer.Id, older.Id], mine.Select(c => c.Id));
    }

    private HotlineCase Opened(HotlineCase draft)
    {
        Machine.Open(draft, "bot", "转人工");
        return draft;
    }

    private CaseDelivery Delivery(string id, DeliveryKind kind, string author = "system", IReadOnlyList<string>? choices = null) => new()
    {
        Id = id,
        Kind = kind,
        Text = "工作人员已处理完你的工单。",
        Author = author,
        CreatedAt = Clock.GetUtcNow(),
        NextAttemptAt = Clock.GetUtcNow(),
        Choices = choices ?? [],
    };

    /// <summary>Every field of a delivery, comparable (the class itself has reference equality).</summary>
    private static string Describe(CaseDelivery d) =>
        string.Join(" | ", d.Id, d.Kind, d.Text, d.Author, d.CreatedAt.UtcTicks, string.Join(",", d.Choices), d.State, d.Attempts,
            d.NextAttemptAt.UtcTicks, d.DeliveredAt?.UtcTicks, d.LastError);
}
