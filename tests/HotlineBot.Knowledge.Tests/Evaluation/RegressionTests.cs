using HotlineBot.Knowledge.Evaluation;
using HotlineBot.Knowledge.Tests.Search;

namespace HotlineBot.Knowledge.Tests.Evaluation;

/// <summary>The admins' regression set (seeds/regression.jsonl) must keep passing on the shipped seeds.</summary>
public sealed class RegressionTests(SeedSearchFixture fixture)
{
    private const double MinimumPercent = 95.0;

    [Fact]
    public async Task Evaluator_PassesAtLeast95Percent_OfRegressionSet_WithSearchOnly()
    {
        var cases = EvalCaseReader.Read(TestSeeds.RegressionFile);

        var report = await Evaluator.RunAsync(cases, new SearchEvalRunner(fixture.Search), TestContext.Current.CancellationToken);

        Assert.True(report.Judged > 0, "the regression set has no answer or fallback cases");
        Assert.True(report.Percent >= MinimumPercent,
            $"{report.ScoreLine}, below {MinimumPercent}%; failing cases:\n" + string.Join("\n", report.Failures));
    }
}
