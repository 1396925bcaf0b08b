using HotlineBot.Knowledge.Evaluation;
using HotlineBot.Knowledge.Tests.Search;

namespace HotlineBot.Knowledge.Tests.Evaluation;

/// <summary>
/// The admins' regression set (seeds/regression.jsonl) must keep passing whole on the shipped seeds;
/// the independent check phrasings (seeds/check-phrasings.jsonl, written apart from the entries)
/// guard that the search still generalises.
/// </summary>
public sealed class RegressionTests(SeedSearchFixture fixture)
{
    [Theory]
    [InlineData("regression.jsonl", 100.0)]
    [InlineData("check-phrasings.jsonl", 92.0)]
    public async Task Evaluator_PassesCasesFile_AtOrAboveFloor_WithSearchOnly(string file, double floor)
    {
        var cases = EvalCaseReader.Read(Path.Combine(TestSeeds.Directory, file));

        var report = await Evaluator.RunAsync(cases, new SearchEvalRunner(fixture.Search), TestContext.Current.CancellationToken);

        Assert.True(report.Judged > 0, $"{file} has no answer or fallback cases");
        Assert.True(report.Percent >= floor,
            $"{file}: {report.ScoreLine}, below {floor}%; failing cases:\n" + string.Join("\n", report.Failures));
    }
}
