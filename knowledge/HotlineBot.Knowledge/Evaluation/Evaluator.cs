using System.Globalization;

namespace HotlineBot.Knowledge.Evaluation;

/// <summary>
/// Judges cases the way the external scorer does: an <c>answer</c> case passes when the reply is an
/// answer holding a word of every keyword group; a <c>fallback</c> case when nothing was answered;
/// other kinds when a reply of that kind holds the keywords.
/// </summary>
public static class Evaluator
{
    public static async Task<EvalReport> RunAsync(IEnumerable<EvalCase> cases, IEvalRunner runner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(runner);
        var failures = new List<EvalFailure>();
        var judged = 0;
        var skipped = 0;
        foreach (var evalCase in cases)
        {
            if (!runner.JudgedKinds.Contains(evalCase.Kind))
            {
                skipped++;
                continue;
            }

            judged++;
            var outcome = await runner.RunAsync(evalCase, cancellationToken).ConfigureAwait(false);
            if (!Passes(evalCase, outcome))
            {
                failures.Add(new EvalFailure(evalCase, outcome));
            }
        }

        return new EvalReport(judged - failures.Count, judged, skipped, failures);
    }

    public static bool Passes(EvalCase evalCase, EvalOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(evalCase);
        ArgumentNullException.ThrowIfNull(outcome);
        var keywordsHeld = evalCase.KeywordGroups.All(group => group.Any(word => outcome.Text.Contains(word, StringComparison.Ordinal)));
        return evalCase.Kind switch
        {
            "answer" => outcome.Kinds.Contains("answer") && keywordsHeld,
            "fallback" => !outcome.Kinds.Contains("answer") && outcome.Kinds.Any(k => k is "fallback" or "handoff" or "clarify"),
            _ => outcome.Kinds.Contains(evalCase.Kind) && keywordsHeld,
        };
    }
}

/// <summary>One failed case with what was found instead.</summary>
public sealed record EvalFailure(EvalCase Case, EvalOutcome Outcome)
{
    public override string ToString()
    {
        var got = Outcome.Kinds.Count == 0 ? "nothing" : string.Join(",", Outcome.Kinds);
        var entry = Outcome.EntryId is null ? string.Empty : $" entry={Outcome.EntryId}";
        var confidence = Outcome.Confidence is { } c ? $" confidence={c.ToString("0.000", CultureInfo.InvariantCulture)}" : string.Empty;
        var text = Outcome.Text.ReplaceLineEndings(" ");
        var excerpt = text.Length > 80 ? text[..80] + "…" : text;
        return $"FAIL {Case.Id} {Case.Topic} want={Case.Kind} got={got}{entry}{confidence} q={Case.Question} reply={excerpt}";
    }
}

/// <summary>The evaluation's outcome; <see cref="ScoreLine"/> is the line admins and tools read.</summary>
public sealed record EvalReport(int Passed, int Judged, int Skipped, IReadOnlyList<EvalFailure> Failures)
{
    public double Percent => Judged == 0 ? 0 : Math.Round(100.0 * Passed / Judged, 1);

    public string ScoreLine => string.Create(CultureInfo.InvariantCulture, $"score: {Passed}/{Judged} passed ({Percent:0.0}%)");
}
