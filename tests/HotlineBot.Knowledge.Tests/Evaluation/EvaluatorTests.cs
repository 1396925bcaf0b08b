using HotlineBot.Knowledge.Evaluation;

namespace HotlineBot.Knowledge.Tests.Evaluation;

public class EvaluatorTests
{
    private static EvalCase Case(string kind, params string[][] expect) =>
        new("C1", "T00", kind, "问题", expect.Length == 0 ? null : [.. expect.Select(g => (IReadOnlyList<string>)g)]);

    private static EvalOutcome Outcome(string kind, string text = "") => new([kind], text, null, null);

    [Fact]
    public void Passes_AnswerCase_WhenAnswerHoldsAWordOfEveryGroup()
    {
        var evalCase = Case("answer", ["二倍", "双倍"], ["仲裁"]);

        Assert.True(Evaluator.Passes(evalCase, Outcome("answer", "可要求双倍工资，或申请仲裁")));
    }

    [Fact]
    public void Passes_FailsAnswerCase_WhenOneGroupIsMissing()
    {
        var evalCase = Case("answer", ["二倍", "双倍"], ["仲裁"]);

        Assert.False(Evaluator.Passes(evalCase, Outcome("answer", "可要求双倍工资")));
    }

    [Fact]
    public void Passes_FailsAnswerCase_WhenReplyIsNotAnAnswer()
    {
        var evalCase = Case("answer", ["双倍"]);

        Assert.False(Evaluator.Passes(evalCase, Outcome("clarify", "双倍工资")));
        Assert.False(Evaluator.Passes(evalCase, Outcome("fallback", "双倍工资")));
    }

    [Fact]
    public void Passes_AnswerCaseWithoutKeywords_WhenReplyIsAnAnswer()
    {
        Assert.True(Evaluator.Passes(Case("answer"), Outcome("answer", "任何内容")));
    }

    [Theory]
    [InlineData("fallback", true)]
    [InlineData("clarify", true)]
    [InlineData("handoff", true)]
    [InlineData("answer", false)]
    [InlineData("smalltalk", false)]
    public void Passes_FallbackCase_OnlyWhenNothingWasAnswered(string replyKind, bool passes)
    {
        Assert.Equal(passes, Evaluator.Passes(Case("fallback"), Outcome(replyKind)));
    }

    [Fact]
    public void Passes_FailsFallbackCase_WhenAnAnswerCameBesideAFallback()
    {
        var outcome = new EvalOutcome(["fallback", "answer"], string.Empty, null, null);

        Assert.False(Evaluator.Passes(Case("fallback"), outcome));
    }

    [Fact]
    public void Passes_OtherKind_WhenReplyOfThatKindHoldsKeywords()
    {
        var evalCase = Case("emergency", ["110", "120"]);

        Assert.True(Evaluator.Passes(evalCase, Outcome("emergency", "请马上拨打120")));
        Assert.False(Evaluator.Passes(evalCase, Outcome("answer", "请马上拨打120")));
        Assert.False(Evaluator.Passes(evalCase, Outcome("emergency", "请联系工会")));
    }

    [Fact]
    public async Task RunAsync_CountsPassedJudgedAndSkipped_AndListsFailures()
    {
        var runner = new ScriptedRunner(new()
        {
            ["a1"] = Outcome("answer", "工作日150%"),
            ["a2"] = Outcome("clarify", "工作日150%"),
            ["f1"] = Outcome("fallback"),
        });
        EvalCase[] cases =
        [
            new("a1", null, "answer", "a1", [["150%"]]),
            new("a2", null, "answer", "a2", [["150%"]]),
            new("f1", null, "fallback", "f1", null),
            new("h1", null, "handoff", "h1", null),
        ];

        var report = await Evaluator.RunAsync(cases, runner, TestContext.Current.CancellationToken);

        Assert.Equal((2, 3, 1), (report.Passed, report.Judged, report.Skipped));
        Assert.Equal("a2", Assert.Single(report.Failures).Case.Id);
        Assert.Equal(["a1", "a2", "f1"], runner.Asked);
        Assert.Equal(66.7, report.Percent);
        Assert.Equal("score: 2/3 passed (66.7%)", report.ScoreLine);
    }

    [Fact]
    public void ScoreLine_ShowsOneDecimal_AndZeroForNoJudgedCases()
    {
        Assert.Equal("score: 0/0 passed (0.0%)", new EvalReport(0, 0, 4, []).ScoreLine);
        Assert.Equal("score: 5/5 passed (100.0%)", new EvalReport(5, 5, 0, []).ScoreLine);
        Assert.Equal("score: 1/8 passed (12.5%)", new EvalReport(1, 8, 0, []).ScoreLine);
    }

    [Fact]
    public void FailureLine_NamesCaseWantedAndGotKinds()
    {
        var failure = new EvalFailure(new EvalCase("D9", "T3", "answer", "加班费怎么算", null), new EvalOutcome(["clarify"], "加班工资怎么算？", "overtime-pay-rates", 0.42));

        var line = failure.ToString();

        Assert.StartsWith("FAIL D9 T3 want=answer got=clarify entry=overtime-pay-rates confidence=0.420 q=加班费怎么算", line, StringComparison.Ordinal);
    }

    /// <summary>Answers by question text; records what it was asked.</summary>
    private sealed class ScriptedRunner(Dictionary<string, EvalOutcome> outcomes) : IEvalRunner
    {
        private static readonly HashSet<string> Kinds = ["answer", "fallback"];

        public List<string> Asked { get; } = [];

        public IReadOnlySet<string> JudgedKinds => Kinds;

        public Task<EvalOutcome> RunAsync(EvalCase evalCase, CancellationToken cancellationToken)
        {
            Asked.Add(evalCase.Question);
            return Task.FromResult(outcomes[evalCase.Question]);
        }
    }
}
