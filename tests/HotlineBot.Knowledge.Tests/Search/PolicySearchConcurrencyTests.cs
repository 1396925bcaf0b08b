using System.Collections.Concurrent;
using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Search;

namespace HotlineBot.Knowledge.Tests.Search;

public sealed class PolicySearchConcurrencyTests(SeedSearchFixture fixture)
{
    private static readonly string[] Questions =
    [
        "周末被叫去加班给多少钱",
        "老闆欠我三個月工資",
        "公司不给交五险",
        "上班路上被电动车撞了算不算工伤",
        "怀孕了公司要把我辞退",
        "想入工会要怎么弄",
        "年假一年能休几天",
        "试用期干了两个月老板说我不合格叫我走人",
    ];

    [Fact]
    public async Task Search_ReturnsResultOfOneWholeEntrySet_WhileAnotherThreadReloads()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var published = fixture.Seeds.Published.ToList();
        IReadOnlyList<PolicyEntry> setA = [.. published.Where((_, i) => i % 2 == 0)];
        IReadOnlyList<PolicyEntry> setB = [.. published.Where((_, i) => i % 2 == 1)];
        var language = fixture.Seeds.Language;
        var options = new SearchOptions();

        // What each set alone answers: every result during the reloads must be exactly one of these.
        var expectedA = Questions.ToDictionary(q => q, q => Signature(new PolicySearch(language, options, setA).Search(q)));
        var expectedB = Questions.ToDictionary(q => q, q => Signature(new PolicySearch(language, options, setB).Search(q)));
        Assert.All(Questions, q => Assert.NotEqual(expectedA[q], expectedB[q]));

        var search = new PolicySearch(language, options, setA);
        var errors = new ConcurrentQueue<string>();
        var seenA = 0;
        var seenB = 0;
        using var done = new CancellationTokenSource();

        var loader = Task.Run(() =>
        {
            try
            {
                for (var i = 0; i < 20; i++)
                {
                    search.Load(i % 2 == 0 ? setB : setA);
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
                    if (got == expectedA[question])
                    {
                        Interlocked.Increment(ref seenA);
                    }
                    else if (got == expectedB[question])
                    {
                        Interlocked.Increment(ref seenB);
                    }
                    else
                    {
                        errors.Enqueue($"'{question}' gave {got}; set A gives {expectedA[question]}, set B {expectedB[question]}");
                    }
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    errors.Enqueue($"'{question}' threw {e}");
                }
            }
        }, cancellationToken)).ToList();

        await loader;
        await Task.WhenAll(searchers);

        Assert.True(errors.IsEmpty, string.Join("\n", errors.Take(10)));
        Assert.True(seenA + seenB > 0);
        Assert.Equal(setA.Count, search.Count);
    }

    [Fact]
    public void Load_ReplacesSearchableEntries_AndIndexesOnlyPublishedOnes()
    {
        var published = fixture.Seeds.Published.ToList();
        var overtime = published.Single(e => e.Id == "overtime-pay-rates");
        var arrears = published.Single(e => e.Id == "wage-arrears-how-to-claim");
        var search = new PolicySearch(fixture.Seeds.Language, new SearchOptions(), [overtime]);

        search.Load([arrears, overtime with { Status = EntryStatus.Draft }]);

        Assert.Equal(1, search.Count);
        Assert.Null(search.Find("overtime-pay-rates"));
        Assert.All(search.Search("加班费怎么算").Candidates, c => Assert.Equal("wage-arrears-how-to-claim", c.Entry.Id));
    }

    private static string Signature(SearchResult result) =>
        $"{result.Band}|{result.Confidence:0.0000}|" + string.Join(",", result.Candidates.Select(c => $"{c.Entry.Id}:{c.Confidence:0.0000}"));
}
