using HotlineBot.Knowledge.Tests.Entries;
using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Loading;
using HotlineBot.Knowledge.Storage;

namespace HotlineBot.Knowledge.Tests.Storage;

/// <summary>
/// What every <see cref="IKnowledgeStore"/> does, run against each implementation (SQLite here; Redis
/// links this file when it comes). Each test gets a fresh, empty store on a clock it controls.
/// </summary>
public abstract class KnowledgeStoreContractTests
{
    private IKnowledgeStore? _store;

    protected TestClock Clock { get; } = new(new DateTimeOffset(2026, 11, 24, 2, 0, 0, TimeSpan.Zero));

    protected IKnowledgeStore Store => _store ??= CreateStore(Clock);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A new, empty store for one test.</summary>
    protected abstract IKnowledgeStore CreateStore(TimeProvider clock);

    [Fact]
    public async Task Create_StoresVersionOne_AndGetReturnsEveryField()
    {
        var draft = Entry("overtime-weekend", "wages") with { Version = 7 };

        var created = await Store.CreateAsync(draft, "admin-li", Ct);
        var read = await Store.GetAsync("overtime-weekend", Ct);

        Assert.Equal(1, created.Version);
        Assert.NotNull(read);
        AssertSameFields(draft with { Version = 1 }, read);
    }

    [Fact]
    public async Task Get_ReturnsNull_ForAnUnknownId()
    {
        Assert.Null(await Store.GetAsync("no-such-entry", Ct));
    }

    [Fact]
    public async Task Create_WithoutId_GeneratesReadableSlugsFromCategoryAndCounter()
    {
        var first = await Store.CreateAsync(Entry("", "wages"), "admin-li", Ct);
        var second = await Store.CreateAsync(Entry("", "wages"), "admin-li", Ct);
        var other = await Store.CreateAsync(Entry("", "work-injury"), "admin-li", Ct);

        Assert.Equal("wages-1", first.Id);
        Assert.Equal("wages-2", second.Id);
        Assert.Equal("work-injury-1", other.Id);
        Assert.True(EntryRules.IsSlug(first.Id));
        Assert.NotNull(await Store.GetAsync("wages-2", Ct));
    }

    [Fact]
    public async Task Create_WithoutId_SkipsNumbersAnExistingEntryHolds()
    {
        await Store.CreateAsync(Entry("wages-1", "wages"), "admin-li", Ct);

        var generated = await Store.CreateAsync(Entry("", "wages"), "admin-li", Ct);

        Assert.Equal("wages-2", generated.Id);
    }

    [Fact]
    public async Task Create_RefusesAnIdThatExists_EvenWhenRetired()
    {
        await Store.CreateAsync(Entry("overtime-weekend", "wages"), "admin-li", Ct);
        await Store.RetireAsync("overtime-weekend", 1, "admin-li", Ct);

        var error = await Assert.ThrowsAsync<KnowledgeEntryExistsException>(() => Store.CreateAsync(Entry("overtime-weekend", "wages"), "admin-wang", Ct));

        Assert.Equal("overtime-weekend", error.EntryId);
        Assert.Equal(2, (await Store.GetAsync("overtime-weekend", Ct))!.Version);
    }

    [Fact]
    public async Task Create_RefusesAnInvalidEntry_NamingTheProblem_AndStoresNothing()
    {
        var error = await Assert.ThrowsAsync<KnowledgeValidationException>(
            () => Store.CreateAsync(Entry("Bad Id", "wages") with { Answer = " " }, "admin-li", Ct));

        Assert.Contains(error.Problems, p => p.Contains("id 'Bad Id'", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("answer", StringComparison.Ordinal));
        Assert.Equal(0, (await Store.ListAsync(new KnowledgeQuery(), Ct)).Total);
    }

    [Fact]
    public async Task List_PagesInIdOrder_WithTheTotal()
    {
        foreach (var id in new[] { "e-5", "e-1", "e-4", "e-2", "e-3" })
        {
            await Store.CreateAsync(Entry(id, "wages"), "admin-li", Ct);
        }

        var first = await Store.ListAsync(new KnowledgeQuery { Page = 1, PageSize = 2 }, Ct);
        var last = await Store.ListAsync(new KnowledgeQuery { Page = 3, PageSize = 2 }, Ct);
        var beyond = await Store.ListAsync(new KnowledgeQuery { Page = 4, PageSize = 2 }, Ct);

        Assert.Equal(5, first.Total);
        Assert.Equal(["e-1", "e-2"], first.Items.Select(e => e.Id));
        Assert.Equal(["e-5"], last.Items.Select(e => e.Id));
        Assert.Empty(beyond.Items);
        Assert.Equal(5, beyond.Total);
    }

    [Fact]
    public async Task List_FiltersByTextInQuestionOrAlternates_CategoryAndStatus()
    {
        await Store.CreateAsync(Entry("overtime", "wages") with { Question = "周末加班工资怎么算？", Alternates = ["周六上班给几倍"] }, "a", Ct);
        await Store.CreateAsync(Entry("arrears", "wages") with { Question = "拖欠工资怎么办？", Alternates = ["老板不发钱 WeChat"], Status = EntryStatus.Published }, "a", Ct);
        await Store.CreateAsync(Entry("injury", "work-injury") with { Question = "工伤怎么认定？", Alternates = ["摔伤算不算工伤"], Answer = "加班途中受伤…" }, "a", Ct);

        var byQuestion = await Store.ListAsync(new KnowledgeQuery { Text = "加班" }, Ct);
        var byAlternate = await Store.ListAsync(new KnowledgeQuery { Text = "wechat" }, Ct);
        var byCategory = await Store.ListAsync(new KnowledgeQuery { Category = "wages" }, Ct);
        var byStatus = await Store.ListAsync(new KnowledgeQuery { Status = EntryStatus.Published }, Ct);
        var combined = await Store.ListAsync(new KnowledgeQuery { Text = "工", Category = "wages", Status = EntryStatus.Draft }, Ct);
        var literalPercent = await Store.ListAsync(new KnowledgeQuery { Text = "%" }, Ct);

        Assert.Equal(["overtime"], byQuestion.Items.Select(e => e.Id)); // the answer's 加班 does not count
        Assert.Equal(["arrears"], byAlternate.Items.Select(e => e.Id));
        Assert.Equal(["arrears", "overtime"], byCategory.Items.Select(e => e.Id));
        Assert.Equal(2, byCategory.Total);
        Assert.Equal(["arrears"], byStatus.Items.Select(e => e.Id));
        Assert.Equal(["overtime"], combined.Items.Select(e => e.Id));
        Assert.Equal(0, literalPercent.Total);
    }

    [Fact]
    public async Task List_RefusesPagingOutOfRange()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ListAsync(new KnowledgeQuery { Page = 0 }, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ListAsync(new KnowledgeQuery { PageSize = KnowledgeQuery.MaxPageSize + 1 }, Ct));
    }

    [Fact]
    public async Task Update_WithTheCurrentVersion_WritesTheNextVersion()
    {
        var created = await Store.CreateAsync(Entry("overtime", "wages"), "admin-li", Ct);

        var updated = await Store.UpdateAsync(created with { Answer = "新的答案" }, created.Version, "admin-wang", Ct);

        Assert.Equal(2, updated.Version);
        var read = await Store.GetAsync("overtime", Ct);
        Assert.Equal("新的答案", read!.Answer);
        Assert.Equal(2, read.Version);
    }

    [Fact]
    public async Task Update_WithAStaleVersion_IsRefused_AndChangesNothing()
    {
        var created = await Store.CreateAsync(Entry("overtime", "wages"), "admin-li", Ct);
        await Store.UpdateAsync(created with { Answer = "第二版" }, 1, "admin-li", Ct);

        var error = await Assert.ThrowsAsync<KnowledgeConcurrencyException>(
            () => Store.UpdateAsync(created with { Answer = "基于旧版的修改" }, 1, "admin-wang", Ct));

        Assert.Equal(1, error.ExpectedVersion);
        Assert.Equal(2, error.StoredVersion);
        var read = await Store.GetAsync("overtime", Ct);
        Assert.Equal("第二版", read!.Answer);
        Assert.Equal(2, read.Version);
        Assert.Equal(2, (await Store.HistoryAsync("overtime", Ct)).Count);
    }

    [Fact]
    public async Task Update_ThatChangesNoField_WritesNoVersion()
    {
        var created = await Store.CreateAsync(Entry("overtime", "wages"), "admin-li", Ct);

        var same = await Store.UpdateAsync(created, 1, "admin-wang", Ct);

        Assert.Equal(1, same.Version);
        Assert.Single(await Store.HistoryAsync("overtime", Ct));
    }

    [Fact]
    public async Task Update_OfAnUnknownEntry_IsNotFound()
    {
        await Assert.ThrowsAsync<KnowledgeEntryNotFoundException>(() => Store.UpdateAsync(Entry("ghost", "wages"), 1, "admin-li", Ct));
    }

    [Fact]
    public async Task Update_RefusesAnInvalidEntry_AndChangesNothing()
    {
        var created = await Store.CreateAsync(Entry("overtime", "wages"), "admin-li", Ct);

        await Assert.ThrowsAsync<KnowledgeValidationException>(
            () => Store.UpdateAsync(created with { ReviewBy = created.EffectiveFrom.AddDays(-1) }, 1, "admin-li", Ct));

        Assert.Equal(1, (await Store.GetAsync("overtime", Ct))!.Version);
    }

    [Fact]
    public async Task ParallelUpdates_WithTheSameVersion_ExactlyOneWins()
    {
        var created = await Store.CreateAsync(Entry("overtime", "wages"), "admin-li", Ct);
        const int writers = 8;

        var attempts = Enumerable.Range(0, writers).Select(i => Task.Run(async () =>
        {
            try
            {
                await Store.UpdateAsync(created with { Answer = $"答案 {i}" }, 1, $"admin-{i}", Ct);
                return (Won: true, Answer: $"答案 {i}");
            }
            catch (KnowledgeConcurrencyException)
            {
                return (Won: false, Answer: "");
            }
        }, Ct));
        var results = await Task.WhenAll(attempts);

        var winner = Assert.Single(results, r => r.Won);
        var read = await Store.GetAsync("overtime", Ct);
        Assert.Equal(2, read!.Version);
        Assert.Equal(winner.Answer, read.Answer);
        Assert.Equal(2, (await Store.HistoryAsync("overtime", Ct)).Count);
    }

    [Fact]
    public async Task Retire_KeepsTheEntryAndItsHistory()
    {
        var created = await Store.CreateAsync(Entry("overtime", "wages") with { Status = EntryStatus.Published }, "admin-li", Ct);
        await Store.UpdateAsync(created with { Answer = "第二版" }, 1, "admin-li", Ct);

        var retired = await Store.RetireAsync("overtime", 2, "admin-wang", Ct);

        Assert.Equal(EntryStatus.Retired, retired.Status);
        Assert.Equal(3, retired.Version);
        var read = await Store.GetAsync("overtime", Ct);
        Assert.Equal(EntryStatus.Retired, read!.Status);
        Assert.Equal("第二版", read.Answer);
        var history = await Store.HistoryAsync("overtime", Ct);
        Assert.Equal([1, 2, 3], history.Select(r => r.Version));
        Assert.Equal([RevisionKind.Created, RevisionKind.Updated, RevisionKind.Retired], history.Select(r => r.Kind));
        Assert.Equal(new FieldChange("status", "published", "retired"), Assert.Single(history[2].Changes));
        Assert.Equal(["overtime"], (await Store.ListAsync(new KnowledgeQuery { Status = EntryStatus.Retired }, Ct)).Items.Select(e => e.Id));
        Assert.Equal(0, (await Store.ListAsync(new KnowledgeQuery { Status = EntryStatus.Published }, Ct)).Total);
    }

    [Fact]
    public async Task Retire_Twice_ChangesNothingTheSecondTime()
    {
        await Store.CreateAsync(Entry("overtime", "wages"), "admin-li", Ct);
        await Store.RetireAsync("overtime", null, "admin-li", Ct);

        var again = await Store.RetireAsync("overtime", null, "admin-li", Ct);

        Assert.Equal(2, again.Version);
        Assert.Equal(2, (await Store.HistoryAsync("overtime", Ct)).Count);
    }

    [Fact]
    public async Task Retire_WithAStaleVersion_IsRefused()
    {
        var created = await Store.CreateAsync(Entry("overtime", "wages"), "admin-li", Ct);
        await Store.UpdateAsync(created with { Answer = "第二版" }, 1, "admin-li", Ct);

        await Assert.ThrowsAsync<KnowledgeConcurrencyException>(() => Store.RetireAsync("overtime", 1, "admin-wang", Ct));
        await Assert.ThrowsAsync<KnowledgeEntryNotFoundException>(() => Store.RetireAsync("ghost", null, "admin-wang", Ct));

        Assert.Equal(EntryStatus.Draft, (await Store.GetAsync("overtime", Ct))!.Status);
    }

    [Fact]
    public async Task History_NamesWhoWhenAndEachChangedFieldWithOldAndNewValues()
    {
        var created = await Store.CreateAsync(Entry("overtime", "wages"), "admin-li", Ct);
        var createdAt = Clock.GetUtcNow();
        Clock.Advance(TimeSpan.FromMinutes(5));
        await Store.UpdateAsync(
            created with { Answer = "新答案", Alternates = [.. created.Alternates, "礼拜天加班"], ReviewBy = new DateOnly(2027, 6, 1) },
            1,
            "admin-wang",
            Ct);

        var history = await Store.HistoryAsync("overtime", Ct);

        Assert.Equal(2, history.Count);
        Assert.Equal("admin-li", history[0].Author);
        Assert.Equal(createdAt, history[0].At);
        Assert.All(history[0].Changes, c => Assert.Null(c.Old));
        Assert.Contains(history[0].Changes, c => c.Field == "question" && c.New == created.Question);

        var update = history[1];
        Assert.Equal("admin-wang", update.Author);
        Assert.Equal(createdAt.AddMinutes(5), update.At);
        Assert.Equal(["alternates", "answer", "reviewBy"], update.Changes.Select(c => c.Field));
        Assert.Equal(new FieldChange("answer", created.Answer, "新答案"), update.Changes[1]);
        Assert.Equal(new FieldChange("reviewBy", "2027-11-24", "2027-06-01"), update.Changes[2]);
        Assert.Contains("礼拜天加班", update.Changes[0].New, StringComparison.Ordinal);
        Assert.DoesNotContain("礼拜天加班", update.Changes[0].Old, StringComparison.Ordinal);
        Assert.Equal("新答案", update.Entry.Answer);
        Assert.Equal(created.Answer, history[0].Entry.Answer);
    }

    [Fact]
    public async Task History_OfAnUnknownEntry_IsEmpty()
    {
        Assert.Empty(await Store.HistoryAsync("ghost", Ct));
    }

    [Fact]
    public async Task Audit_ListsEveryChangeNewestFirst_FilteredByEntryOrAuthor()
    {
        var overtime = await Store.CreateAsync(Entry("overtime", "wages"), "admin-li", Ct);
        Clock.Advance(TimeSpan.FromMinutes(1));
        await Store.CreateAsync(Entry("injury", "work-injury"), "admin-wang", Ct);
        Clock.Advance(TimeSpan.FromMinutes(1));
        await Store.UpdateAsync(overtime with { Answer = "第二版" }, 1, "admin-wang", Ct);

        var all = await Store.AuditAsync(new AuditQuery(), Ct);
        var byEntry = await Store.AuditAsync(new AuditQuery { EntryId = "overtime" }, Ct);
        var byAuthor = await Store.AuditAsync(new AuditQuery { Author = "admin-wang", PageSize = 1 }, Ct);

        Assert.Equal(3, all.Total);
        Assert.Equal([("overtime", 2), ("injury", 1), ("overtime", 1)], all.Items.Select(r => (r.EntryId, r.Version)));
        Assert.Equal(2, byEntry.Total);
        Assert.Equal(2, byAuthor.Total);
        Assert.Equal(("overtime", 2), (byAuthor.Items.Single().EntryId, byAuthor.Items.Single().Version));
        Assert.Equal("answer", Assert.Single(all.Items[0].Changes).Field);
    }

    [Fact]
    public async Task Seed_IntoAnEmptyStore_RoundTripsEveryFieldOfEverySeedEntry()
    {
        var seeds = SeedLoader.LoadEntries(TestSeeds.Directory);

        var imported = await Store.SeedAsync(seeds, "seeds", Ct);

        Assert.Equal(seeds.Count, imported);
        var stored = new List<PolicyEntry>();
        for (var page = 1; ; page++)
        {
            var result = await Store.ListAsync(new KnowledgeQuery { Page = page, PageSize = KnowledgeQuery.MaxPageSize }, Ct);
            Assert.Equal(seeds.Count, result.Total);
            stored.AddRange(result.Items);
            if (result.Items.Count < KnowledgeQuery.MaxPageSize)
            {
                break;
            }
        }

        Assert.Equal(seeds.Count, stored.Count);
        var byId = stored.ToDictionary(e => e.Id, StringComparer.Ordinal);
        foreach (var seed in seeds)
        {
            AssertSameFields(seed, byId[seed.Id]);
            AssertSameFields(seed, (await Store.GetAsync(seed.Id, Ct))!);
            Assert.Equal(RevisionKind.Seeded, Assert.Single(await Store.HistoryAsync(seed.Id, Ct)).Kind);
        }
    }

    [Fact]
    public async Task Seed_LeavesAStoreThatHoldsEntriesAlone()
    {
        var created = await Store.CreateAsync(Entry("wage-arrears-how-to-claim", "wages"), "admin-li", Ct);
        await Store.UpdateAsync(created with { Answer = "管理员改过的答案" }, 1, "admin-li", Ct);

        var imported = await Store.SeedAsync(SeedLoader.LoadEntries(TestSeeds.Directory), "seeds", Ct);

        Assert.Equal(0, imported);
        Assert.Equal(1, (await Store.ListAsync(new KnowledgeQuery(), Ct)).Total);
        Assert.Equal("管理员改过的答案", (await Store.GetAsync("wage-arrears-how-to-claim", Ct))!.Answer);
    }

    /// <summary>A valid entry with every field set, so round trips check them all.</summary>
    protected static PolicyEntry Entry(string id, string category) => new()
    {
        Id = id,
        Question = "周末加班工资怎么算？",
        Alternates = ["周六上班给几倍工资", "休息日加班费"],
        Answer = "**休息日加班：不能补休的，按不低于工资的200%支付。**\n依据：《劳动法》第四十四条",
        Category = category,
        Sources = [new EntrySource("劳动法", "第四十四条"), new EntrySource("工资支付暂行规定", null)],
        Tags = ["加班", "休息日"],
        Region = "深圳",
        EffectiveFrom = new DateOnly(2026, 11, 24),
        ReviewBy = new DateOnly(2027, 11, 24),
        Status = EntryStatus.Draft,
    };

    protected static void AssertSameFields(PolicyEntry expected, PolicyEntry actual) => EntryAssert.Same(expected, actual);
}
