using HotlineBot.Knowledge.Evaluation;
using HotlineBot.Knowledge.Search;
using HotlineBot.Knowledge.Tests.Search;

namespace HotlineBot.Knowledge.Tests.Evaluation;

public sealed class SearchEvalRunnerTests(SeedSearchFixture fixture)
{
    [Fact]
    public void JudgedKinds_AreAnswerAndFallbackOnly()
    {
        var runner = new SearchEvalRunner(fixture.Search);

        Assert.Equal(["answer", "fallback"], runner.JudgedKinds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RunAsync_SkipsHandoffAndEmergencyCases()
    {
        EvalCase[] cases =
        [
            new("h1", null, "handoff", "我要找人工", null),
            new("e1", null, "emergency", "工地有人从架子上摔下来了", null),
            new("s1", null, "smalltalk", "你好", null),
            new("f1", null, "fallback", "明天天气怎么样", null),
        ];

        var report = await Evaluator.RunAsync(cases, new SearchEvalRunner(fixture.Search), TestContext.Current.CancellationToken);

        Assert.Equal(3, report.Skipped);
        Assert.Equal(1, report.Judged);
    }

    [Fact]
    public async Task RunAsync_ReportsAnswerWithEntryText_WhenSearchAnswers()
    {
        var entry = fixture.Seeds.Published.Single(e => e.Id == "paid-annual-leave");
        var search = new PolicySearch(fixture.Seeds.Language, new SearchOptions(), [entry]);
        var expected = search.Search(entry.Question);
        Assert.Equal(SearchBand.Answer, expected.Band);

        var outcome = await new SearchEvalRunner(search).RunAsync(new EvalCase("a1", null, "answer", entry.Question, null), TestContext.Current.CancellationToken);

        Assert.Equal(["answer"], outcome.Kinds);
        Assert.Equal(entry.Answer, outcome.Text);
        Assert.Equal("paid-annual-leave", outcome.EntryId);
        Assert.Equal(expected.Confidence, outcome.Confidence);
    }

    [Fact]
    public async Task RunAsync_ReportsFallback_ForOutOfScopeQuestion()
    {
        var outcome = await new SearchEvalRunner(fixture.Search).RunAsync(new EvalCase("f1", null, "fallback", "明天天气怎么样", null), TestContext.Current.CancellationToken);

        Assert.Equal(["fallback"], outcome.Kinds);
    }

    [Fact]
    public async Task RunAsync_ReportsClarify_WithCandidateQuestionsAsText()
    {
        var search = new PolicySearch(fixture.Seeds.Language, new SearchOptions { AnswerThreshold = 1.0, ClarifyFloor = 0.0 }, fixture.Seeds.Published);

        var outcome = await new SearchEvalRunner(search).RunAsync(new EvalCase("c1", null, "answer", "周末的加班费到底怎么算啊", null), TestContext.Current.CancellationToken);

        Assert.Equal(["clarify"], outcome.Kinds);
        Assert.Contains(search.Find("overtime-pay-rates")!.Question, outcome.Text, StringComparison.Ordinal);
    }
}
