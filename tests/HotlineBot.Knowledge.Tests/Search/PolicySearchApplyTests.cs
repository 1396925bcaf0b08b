using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Search;

namespace HotlineBot.Knowledge.Tests.Search;

/// <summary>
/// Incremental updates: after <see cref="PolicySearch.Apply"/> every search must give exactly what
/// a search built afresh over the entries after the change gives, while only the changed entries
/// are analyzed (unless the tags change).
/// </summary>
public sealed class PolicySearchApplyTests(SeedSearchFixture fixture)
{
    private static readonly string[] Questions =
    [
        "周末被叫去加班给多少钱",
        "晚上加班到十点给不给加班费",
        "夜班补贴怎么算",
        "老闆欠我三個月工資",
        "公司不给交五险",
        "上班路上被电动车撞了算不算工伤",
        "怀孕了公司要把我辞退",
        "想入工会要怎么弄",
        "年假一年能休几天",
        "房东不退押金怎么办",
    ];

    private List<PolicyEntry> Published => [.. fixture.Seeds.Published];

    private PolicyEntry Overtime => fixture.Seeds.Published.Single(e => e.Id == "overtime-pay-rates");

    [Fact]
    public void Apply_MatchesFreshBuild_WhenAnEntryIsAdded()
    {
        var published = Published;
        var search = NewSearch(published);
        var added = NightShift(tags: Overtime.Tags);

        search.Apply([added]);

        AssertSameAsFresh([.. published, added], search);
        Assert.Equal(1, search.AnalyzedCount);
        Assert.Equal(added.Id, search.Search("晚上加班到十点给不给加班费").Candidates[0].Entry.Id);
    }

    [Fact]
    public void Apply_MatchesFreshBuild_WhenAnEntryIsReplaced()
    {
        var published = Published;
        var search = NewSearch(published);
        var edited = Overtime with
        {
            Alternates = [.. Overtime.Alternates, "晚上加班到十点给不给加班费"],
            Answer = Overtime.Answer + "\n夜里加班的，按延长工作时间支付。",
            Version = Overtime.Version + 1,
        };

        search.Apply([edited]);

        AssertSameAsFresh([.. published.Select(e => e.Id == edited.Id ? edited : e)], search);
        Assert.Equal(1, search.AnalyzedCount);
        Assert.Same(edited, search.Find(edited.Id));
        Assert.Equal("晚上加班到十点给不给加班费", search.Search("晚上加班到十点给不给加班费").Candidates[0].MatchedPhrasing);
    }

    [Theory]
    [InlineData(EntryStatus.Retired)]
    [InlineData(EntryStatus.Draft)]
    public void Apply_MatchesFreshBuild_WhenAnEntryIsTakenOutOfSearch(EntryStatus status)
    {
        var published = Published;
        // Its tags are the overtime entry's, so taking it out leaves the analyzer as it is.
        var removed = NightShift(tags: Overtime.Tags);
        var search = NewSearch([.. published, removed]);

        search.Apply([removed with { Status = status }]);

        AssertSameAsFresh(published, search);
        Assert.Equal(0, search.AnalyzedCount);
        Assert.Null(search.Find(removed.Id));
        Assert.DoesNotContain(search.Entries, e => e.Id == removed.Id);
    }

    [Fact]
    public void Apply_MatchesFreshBuild_WhenAnEntryWithItsOwnTagsIsRetired()
    {
        var published = Published;
        var search = NewSearch(published);

        search.Apply([Overtime with { Status = EntryStatus.Retired }]);

        var after = published.Where(e => e.Id != Overtime.Id).ToList();
        AssertSameAsFresh(after, search);
        Assert.Equal(after.Count, search.AnalyzedCount);
        Assert.DoesNotContain(search.Search("周末被叫去加班给多少钱").Candidates, c => c.Entry.Id == Overtime.Id);
    }

    [Fact]
    public void Apply_RebuildsEverything_WhenTheTagsChange()
    {
        var published = Published;
        var search = NewSearch(published);
        var edited = Overtime with
        {
            Alternates = [.. Overtime.Alternates, "夜班补贴怎么算"],
            Tags = [.. Overtime.Tags, "夜班补贴"],
        };

        search.Apply([edited]);

        var after = published.Select(e => e.Id == edited.Id ? edited : e).ToList();
        AssertSameAsFresh(after, search);
        Assert.Equal(after.Count, search.AnalyzedCount);
        // The new tag is a dictionary word now: matched whole, not only as characters.
        Assert.Contains("夜班补贴", search.Search("夜班补贴怎么算").Candidates[0].MatchedTerms);
    }

    [Fact]
    public void Apply_MatchesFreshBuild_AfterSeveralChangesInARow()
    {
        var after = Published;
        var search = NewSearch(after);
        var retired = after.Last(e => e.Id != Overtime.Id) with { Status = EntryStatus.Retired };
        // How many entries each change analyzes; null: all (the retired entry's own tags go).
        var changes = new (IReadOnlyCollection<PolicyEntry> Change, int? Analyzed)[]
        {
            ([NightShift(tags: Overtime.Tags)], 1),
            ([Overtime with { Answer = Overtime.Answer + "\n加班要有记录。", Version = 2 }, NightShift(tags: Overtime.Tags) with { Question = "夜里加班给多少钱" }], 2),
            ([retired, Overtime with { Status = EntryStatus.Draft }], null),
            ([NightShift(tags: []) with { Id = "late-shift-pay" }, Overtime], 2),
        };

        foreach (var (change, analyzed) in changes)
        {
            search.Apply(change);
            foreach (var entry in change)
            {
                var at = after.FindIndex(e => e.Id == entry.Id);
                if (entry.Status != EntryStatus.Published)
                {
                    after.RemoveAt(at);
                }
                else if (at >= 0)
                {
                    after[at] = entry;
                }
                else
                {
                    after.Add(entry);
                }
            }

            AssertSameAsFresh(after, search);
            Assert.Equal(analyzed ?? after.Count, search.AnalyzedCount);
        }
    }

    [Fact]
    public void Preview_AppliesTheChangeToACopy_AndLeavesTheLiveSearchAsItWas()
    {
        var published = Published;
        var search = NewSearch(published);
        var before = Signatures(search);
        var edited = Overtime with { Alternates = [.. Overtime.Alternates, "晚上加班到十点给不给加班费"], Version = 2 };
        var added = NightShift(tags: Overtime.Tags);

        var preview = Assert.IsType<PolicySearch>(search.Preview([edited, added]));

        AssertSameAsFresh([.. published.Select(e => e.Id == edited.Id ? edited : e), added], preview);
        Assert.Equal(before, Signatures(search));
        Assert.Equal(published.Count, search.Count);
        Assert.Same(Overtime, search.Find(Overtime.Id));
        Assert.Null(search.Find(added.Id));
        Assert.Equal(published.Select(e => e.Id), search.Entries.Select(e => e.Id));
    }

    [Fact]
    public async Task Search_ReturnsResultOfOneVersion_WhileAnotherThreadApplies()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var published = Published;
        var versionB = Overtime with
        {
            Question = "夜里加班给多少钱",
            Alternates = ["晚上加班到十点给不给加班费", "夜班加班费怎么算"],
            Version = 2,
        };
        var expectedA = Questions.ToDictionary(q => q, q => Signature(NewSearch(published).Search(q)));
        var expectedB = Questions.ToDictionary(q => q, q => Signature(NewSearch([.. published.Select(e => e.Id == Overtime.Id ? versionB : e)]).Search(q)));
        Assert.Contains(Questions, q => expectedA[q] != expectedB[q]);

        var search = NewSearch(published);
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var done = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            try
            {
                for (var i = 0; i < 40; i++)
                {
                    search.Apply([i % 2 == 0 ? versionB : Overtime]);
                }
            }
            finally
            {
                done.Cancel();
            }
        }, cancellationToken);

        var searchers = Enumerable.Range(0, Math.Max(4, Environment.ProcessorCount)).Select(worker => Task.Run(() =>
        {
            var n = worker;
            while (!done.IsCancellationRequested || n < worker + Questions.Length)
            {
                var question = Questions[n++ % Questions.Length];
                try
                {
                    var got = Signature(search.Search(question));
                    if (got != expectedA[question] && got != expectedB[question])
                    {
                        errors.Enqueue($"'{question}' gave {got}; version A gives {expectedA[question]}, version B {expectedB[question]}");
                    }
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    errors.Enqueue($"'{question}' threw {e}");
                }
            }
        }, cancellationToken)).ToList();

        await writer;
        await Task.WhenAll(searchers);

        Assert.True(errors.IsEmpty, string.Join("\n", errors.Take(10)));
        AssertSameAsFresh(published, search);
    }

    [Fact]
    public async Task Apply_KeepsEveryWritersChange_WhenCalledConcurrently()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var published = Published;
        var search = NewSearch(published);
        var added = Enumerable.Range(0, 16).Select(i => NightShift(tags: Overtime.Tags) with
        {
            Id = $"night-shift-{i:D2}",
            Question = $"夜班第{i}个小时加班费怎么算",
        }).ToList();

        await Task.WhenAll(added.Chunk(4).Select(chunk => Task.Run(() =>
        {
            foreach (var entry in chunk)
            {
                search.Apply([entry]);
            }
        }, cancellationToken)));

        Assert.Equal(published.Count + added.Count, search.Count);
        Assert.All(added, e => Assert.Same(e, search.Find(e.Id)));
        AssertSameAsFresh(search.Entries, search);
    }

    private PolicySearch NewSearch(IReadOnlyList<PolicyEntry> entries) =>
        new(fixture.Seeds.Language, new SearchOptions(), entries);

    private static PolicyEntry NightShift(IReadOnlyList<string> tags) => new()
    {
        Id = "night-shift-overtime",
        Question = "晚上加班到十点给不给加班费",
        Alternates = ["夜班加班怎么算钱", "上夜班超过八小时算加班吗"],
        Answer = "**夜间延长工作时间，按不低于工资的150%支付加班费。**\n依据：《劳动法》第四十四条",
        Category = "wages",
        Tags = tags,
        Status = EntryStatus.Published,
    };

    /// <summary>The search must hold the same entries, in the same order, as a fresh build, and answer every question the same.</summary>
    private void AssertSameAsFresh(IReadOnlyList<PolicyEntry> expected, PolicySearch search)
    {
        var fresh = NewSearch(expected);
        Assert.Equal(expected.Select(e => e.Id), search.Entries.Select(e => e.Id));
        Assert.Equal(fresh.Count, search.Count);
        Assert.All(expected, e => Assert.Same(e, search.Find(e.Id)));
        Assert.Equal(Signatures(fresh), Signatures(search));
    }

    /// <summary>Every phrasing of the seed entries and the questions above, each searched.</summary>
    private List<string> Signatures(PolicySearch search) =>
        [.. fixture.Seeds.Published.SelectMany(e => e.Phrasings()).Concat(Questions).Select(q => q + " → " + Signature(search.Search(q)))];

    private static string Signature(SearchResult result) =>
        $"{result.Band}|{result.Reason}|{result.Confidence:R}|" + string.Join(",", result.Candidates.Select(c =>
            $"{c.Entry.Id}:{c.Confidence:R}:{c.MatchedPhrasing}:{string.Join(' ', c.MatchedTerms)}"));
}
