using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using HotlineBot.Commands;

namespace HotlineBot.Tests.Commands;

/// <summary>The <c>eval</c> command run in process through the real turn pipeline over the real seeds, as admins and CI run it.</summary>
public sealed partial class EvalCommandTests(KnowledgeServicesFixture fixture) : IClassFixture<KnowledgeServicesFixture>
{
    [GeneratedRegex(@"^score: (?<passed>\d+)/(?<judged>\d+) passed \((?<percent>\d+\.\d)%\)$")]
    private static partial Regex ScoreLine();

    [GeneratedRegex(@"^skipped: (?<skipped>\d+)$")]
    private static partial Regex SkippedLine();

    private string WriteCases(params string[] lines)
    {
        var path = Path.Combine(fixture.TempDirectory, Guid.NewGuid().ToString("N") + ".jsonl");
        File.WriteAllText(path, string.Join('\n', lines) + "\n", new UTF8Encoding(false));
        return path;
    }

    /// <summary>Two answer, two fallback, two handoff and one emergency case (judged), and one survey case the evaluator does not judge.</summary>
    private string WriteMixedCases() => WriteCases(
        """{"id": "T1", "topic": "T08", "kind": "answer", "q": "加班工资怎么算？", "expect": [["150%", "百分之一百五十"]]}""",
        """{"id": "T2", "topic": "T12", "kind": "answer", "q": "带薪年休假能休几天？", "expect": [["5天", "五天"]]}""",
        """{"id": "T3", "kind": "fallback", "q": "明天天气怎么样"}""",
        """{"id": "T4", "kind": "fallback", "q": "淘宝买的鞋子怎么退货"}""",
        """{"id": "T5", "kind": "handoff", "q": "我要找人工"}""",
        """{"id": "T6", "kind": "emergency", "q": "工地上有人从脚手架摔下来了"}""",
        "",
        """{"id": "T7", "kind": "handoff", "q": "转人工"}""",
        """{"id": "T8", "kind": "survey", "q": "满意"}""");

    private async Task<(int Exit, string[] Lines)> RunAsync(params string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var input = new StringReader(string.Empty);
        var exit = await HostCommand.Parse(args)!.RunAsync(fixture.Services, output, input);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        return (exit, lines);
    }

    [Fact]
    public async Task Eval_EndsWithScoreLine_AfterSkippedLine_AndExitsZero()
    {
        var file = WriteMixedCases();

        var (exit, lines) = await RunAsync("eval", file);

        Assert.Equal(0, exit);
        Assert.True(lines.Length >= 2, string.Join('\n', lines));
        var score = ScoreLine().Match(lines[^1]);
        Assert.True(score.Success, $"last line is not a score line: '{lines[^1]}'");
        var skipped = SkippedLine().Match(lines[^2]);
        Assert.True(skipped.Success, $"line before the score is not a skipped line: '{lines[^2]}'");

        var passed = int.Parse(score.Groups["passed"].Value, CultureInfo.InvariantCulture);
        var judged = int.Parse(score.Groups["judged"].Value, CultureInfo.InvariantCulture);
        Assert.Equal(7, judged);
        Assert.Equal(1, int.Parse(skipped.Groups["skipped"].Value, CultureInfo.InvariantCulture));
        Assert.Equal((100.0 * passed / judged).ToString("0.0", CultureInfo.InvariantCulture), score.Groups["percent"].Value);
        Assert.Equal(judged - passed, lines.Count(l => l.StartsWith("FAIL ", StringComparison.Ordinal)));
        Assert.Equal(judged - passed + 2, lines.Length);
    }

    [Fact]
    public async Task Eval_PrintsExactScoreLine_ForFallbackCasesItPasses()
    {
        var file = WriteCases(
            """{"id": "F1", "kind": "fallback", "q": "明天天气怎么样"}""",
            """{"id": "F2", "kind": "fallback", "q": "😭😭😭"}""",
            """{"id": "F3", "kind": "fallback", "q": "离婚孩子抚养权归谁"}""",
            """{"id": "E1", "kind": "emergency", "q": "仓库着火了，里面还有人", "expect": [["119"]]}""",
            """{"id": "S1", "kind": "survey", "q": "很满意"}""");

        var (exit, lines) = await RunAsync("eval", file);

        Assert.Equal(0, exit);
        Assert.Equal(["skipped: 1", "score: 4/4 passed (100.0%)"], lines);
    }

    [Fact]
    public async Task Eval_NamesFailingCase_OnItsOwnLine()
    {
        var file = WriteCases("""{"id": "X1", "topic": "T99", "kind": "answer", "q": "明天天气怎么样", "expect": [["天气"]]}""");

        var (exit, lines) = await RunAsync("eval", file);

        Assert.Equal(0, exit);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("FAIL X1 T99 want=answer got=fallback", lines[0], StringComparison.Ordinal);
        Assert.Equal("skipped: 0", lines[1]);
        Assert.Equal("score: 0/1 passed (0.0%)", lines[2]);
    }

    [Fact]
    public async Task Eval_ExitsOne_WhenScoreIsBelowMin()
    {
        var file = WriteMixedCases();

        var (exit, lines) = await RunAsync("eval", file, "--min", "101");

        Assert.Equal(1, exit);
        Assert.Matches(ScoreLine(), lines[^1]);
    }

    [Fact]
    public async Task Eval_ExitsZero_WhenScoreMeetsMin()
    {
        var file = WriteCases("""{"id": "F1", "kind": "fallback", "q": "明天天气怎么样"}""");

        var (exit, _) = await RunAsync("eval", file, "--min", "100");

        Assert.Equal(0, exit);
    }

    [Fact]
    public async Task Eval_AcceptsDataDirectoryAndMin_InAnyOrder()
    {
        var file = WriteCases("""{"id": "F1", "kind": "fallback", "q": "明天天气怎么样"}""");
        var data = Path.Combine(fixture.TempDirectory, "data");

        var (exit, lines) = await RunAsync("eval", "--min", "50", file, "--data", data);

        Assert.Equal(0, exit);
        Assert.Equal("score: 1/1 passed (100.0%)", lines[^1]);
    }

    [Fact]
    public async Task Eval_ExitsTwo_NamingTheLine_ForBadLine()
    {
        var file = WriteCases(
            """{"id": "F1", "kind": "fallback", "q": "明天天气怎么样"}""",
            "",
            """{"id": "F2", "kind": "fallback", "q": """);

        var (exit, lines) = await RunAsync("eval", file);

        Assert.Equal(2, exit);
        Assert.Contains(lines, l => l.Contains($"{file}:3:", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("score:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Eval_ExitsTwo_ForMissingFile()
    {
        var missing = Path.Combine(fixture.TempDirectory, "no-such-cases.jsonl");

        var (exit, lines) = await RunAsync("eval", missing);

        Assert.Equal(2, exit);
        Assert.Contains(lines, l => l.Contains("no-such-cases.jsonl", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("score:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("eval")]
    [InlineData("eval", "cases.jsonl", "--bogus")]
    [InlineData("nonsense")]
    public async Task Parse_ReturnsUsageExitingTwo_ForBadCommandLine(params string[] args)
    {
        var (exit, lines) = await RunAsync(args);

        Assert.Equal(2, exit);
        Assert.Contains(lines, l => l.Contains("usage:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Eval_RunsShippedRegressionSet_WithScoreAndSkippedLines()
    {
        var (exit, lines) = await RunAsync("eval", Path.Combine(TestSeeds.Directory, "regression.jsonl"));

        Assert.Equal(0, exit);
        Assert.Matches(ScoreLine(), lines[^1]);
        Assert.Matches(SkippedLine(), lines[^2]);
    }
}
