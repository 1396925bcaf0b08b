using HotlineBot.Cases.Lifecycle;

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
    public async Task ListOpen_ReturnsEveryCaseButTheClosed()
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

        var open = await Store.ListOpenAsync(Ct);

        Assert.Equal([fresh.Id, resolved.Id], open.Select(c => c.Id));
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
}
