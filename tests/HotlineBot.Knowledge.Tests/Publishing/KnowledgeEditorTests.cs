using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Evaluation;
using HotlineBot.Knowledge.Loading;
using HotlineBot.Knowledge.Publishing;
using HotlineBot.Knowledge.Search;
using HotlineBot.Knowledge.Storage;

namespace HotlineBot.Knowledge.Tests.Publishing;

/// <summary>
/// The editor over a real SQLite store, the real seeds and their regression questions: changes pass the
/// guard, land in the store and reach search through the change notice, in the same call.
/// </summary>
public sealed class KnowledgeEditorTests : IDisposable
{
    private static readonly SeedSet Seeds = SeedLoader.Load(TestSeeds.Directory);

    private readonly TemporaryDatabase<SqliteKnowledgeStore> _database = new("knowledge.db", (path, clock) => new SqliteKnowledgeStore(path, clock));
    private readonly SqliteKnowledgeStore _store;
    private readonly SqliteRegressionCaseStore _cases;
    private readonly InProcessKnowledgeNotices _notices = new();
    private readonly PolicySearch _search;
    private readonly SearchSynchronizer _synchronizer;
    private readonly KnowledgeEditor _editor;

    public KnowledgeEditorTests()
    {
        _store = _database.Open();
        _cases = new SqliteRegressionCaseStore(_database.FilePath);
        _store.SeedAsync(Seeds.Entries, "seeds").GetAwaiter().GetResult();
        _cases.SeedAsync(EvalCaseReader.Read(TestSeeds.RegressionFile)).GetAwaiter().GetResult();
        _search = new PolicySearch(Seeds.Language, new SearchOptions());
        _synchronizer = new SearchSynchronizer(_search, _store, _notices);
        _synchronizer.LoadAllAsync(CancellationToken.None).GetAwaiter().GetResult();
        _editor = new KnowledgeEditor(_store, new PublishingGuard(_search, _cases), _notices);
    }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnUpdateIsSearchableWhenTheCallReturns()
    {
        var entry = (await _store.GetAsync("overtime-pay-rates", Cancellation))!;
        await _editor.UpdateAsync(entry with { Alternates = [.. entry.Alternates, "双休日被叫回厂里干活钱怎么给"] }, entry.Version, "chief", force: false, Cancellation);

        var result = _search.Search("双休日被叫回厂里干活钱怎么给");
        Assert.Equal("overtime-pay-rates", result.Candidates[0].Entry.Id);
        Assert.Equal(entry.Version + 1, _search.Find("overtime-pay-rates")!.Version);
    }

    [Fact]
    public async Task ANewEntryIsAnsweredAtOnce_AndRetiringItStopsTheAnswer()
    {
        var created = await _editor.CreateAsync(Entry("外卖骑手被平台扣了保证金能要回来吗", "骑手保证金"), "chief", force: false, Cancellation);
        Assert.Equal(created.Id, _search.Search("外卖骑手被平台扣保证金能要回来吗").Candidates[0].Entry.Id);

        await _editor.RetireAsync(created.Id, created.Version, "chief", force: false, Cancellation);
        Assert.Null(_search.Find(created.Id));
        Assert.Equal(EntryStatus.Retired, (await _store.GetAsync(created.Id, Cancellation))!.Status);
    }

    [Fact]
    public async Task TheGuardRefusesWhatBreaksPassingCases_AndWritesNothing()
    {
        var entry = (await _store.GetAsync("overtime-pay-rates", Cancellation))!;
        var broken = entry with { Answer = "按单位规定发放。" };

        var refused = await Assert.ThrowsAsync<PublishingRefusedException>(() => _editor.UpdateAsync(broken, entry.Version, "chief", force: false, Cancellation));
        Assert.NotEmpty(refused.Failures);
        Assert.All(refused.Failures, f => Assert.Equal("answer", f.Case.Kind));
        Assert.Equal(entry.Version, (await _store.GetAsync(entry.Id, Cancellation))!.Version);
        Assert.Contains("150%", _search.Find(entry.Id)!.Answer, StringComparison.Ordinal);

        var forced = await _editor.UpdateAsync(broken, entry.Version, "chief", force: true, Cancellation);
        Assert.Equal("按单位规定发放。", _search.Find(entry.Id)!.Answer);
        Assert.Equal(entry.Version + 1, forced.Version);
    }

    [Fact]
    public async Task CasesThatAlreadyFailDoNotBlockUnrelatedEdits()
    {
        await _cases.SaveAsync(new EvalCase("X001", null, "answer", "加班费怎么算", [["这个词不在任何答案里"]]), Cancellation);
        Assert.Contains((await new PublishingGuard(_search, _cases).RunAsync(Cancellation)).Failures, f => f.Case.Id == "X001");

        var entry = (await _store.GetAsync("paid-annual-leave", Cancellation))!;
        var updated = await _editor.UpdateAsync(entry with { Tags = [.. entry.Tags, "年休假"] }, entry.Version, "chief", force: false, Cancellation);
        Assert.Equal(entry.Version + 1, updated.Version);
    }

    [Fact]
    public async Task RestoreWritesAnOldVersionAsTheNewest()
    {
        var entry = (await _store.GetAsync("paid-annual-leave", Cancellation))!;
        var changed = await _editor.UpdateAsync(entry with { Region = "上海" }, entry.Version, "chief", force: false, Cancellation);
        var restored = await _editor.RestoreAsync(entry.Id, entry.Version, changed.Version, "chief", force: false, Cancellation);

        Assert.Equal(changed.Version + 1, restored.Version);
        Assert.Equal(PolicyEntry.NationalRegion, restored.Region);
        Assert.Equal(3, (await _store.HistoryAsync(entry.Id, Cancellation)).Count(r => r.Version >= entry.Version));
    }

    [Fact]
    public async Task AStaleUpdateChangesNeitherStoreNorSearch()
    {
        var entry = (await _store.GetAsync("paid-annual-leave", Cancellation))!;
        await _editor.UpdateAsync(entry with { Region = "北京" }, entry.Version, "chief", force: false, Cancellation);

        await Assert.ThrowsAsync<KnowledgeConcurrencyException>(() => _editor.UpdateAsync(entry with { Region = "天津" }, entry.Version, "other", force: false, Cancellation));
        Assert.Equal("北京", _search.Find(entry.Id)!.Region);
    }

    [Fact]
    public async Task TheRegressionStoreIsSeededOnceAndEditable()
    {
        var seeded = await _cases.ListAsync(Cancellation);
        Assert.Equal(EvalCaseReader.Read(TestSeeds.RegressionFile).Count, seeded.Count);
        Assert.Equal(0, await _cases.SeedAsync([new EvalCase("Z1", null, "answer", "q", null)], Cancellation));

        var first = seeded[0];
        await _cases.SaveAsync(first with { Question = "改过的问题" }, Cancellation);
        Assert.Equal("改过的问题", (await _cases.ListAsync(Cancellation)).Single(c => c.Id == first.Id).Question);
        Assert.True(await _cases.DeleteAsync(first.Id, Cancellation));
        Assert.False(await _cases.DeleteAsync(first.Id, Cancellation));
        Assert.Equal(seeded.Count - 1, (await _cases.ListAsync(Cancellation)).Count);
    }

    public void Dispose()
    {
        _synchronizer.Dispose();
        _cases.Dispose();
        _database.Dispose();
    }

    private static PolicyEntry Entry(string question, string tag) => new()
    {
        Id = string.Empty,
        Question = question,
        Alternates = ["外卖平台扣押金合法吗", "送外卖交的押金不退怎么办"],
        Answer = "平台不得以任何名义向劳动者收取保证金或押金。",
        Category = "employment-forms",
        Tags = [tag],
        EffectiveFrom = new DateOnly(2026, 1, 1),
        ReviewBy = new DateOnly(2027, 1, 1),
        Status = EntryStatus.Published,
    };
}
