using System.Globalization;
using System.Text;
using HotlineBot.Knowledge.Loading;
using HotlineBot.Knowledge.Search;

namespace HotlineBot.Knowledge.Evaluation;

/// <summary>
/// Tunes the band thresholds on the knowledge base's own content, never on evaluation cases:
/// alternates are held out fold by fold (the index is built without them, then each is asked),
/// and the out-of-scope samples of seeds/ are asked of the full index. A right answer scores 1,
/// a did-you-mean or fallback 0, a wrong answer (or answering an out-of-scope question) −1.
/// </summary>
public static class Calibration
{
    public const int Folds = 5;

    public static CalibrationReport Run(SeedSet seeds, SearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(options);
        var probe = Clone(options);
        probe.AnswerThreshold = 0;
        probe.ClarifyMargin = 0;
        probe.ClarifyFloor = 0;
        probe.MaxCandidates = 2;
        var published = seeds.Published.ToList();
        var inScope = new List<Observation>();
        for (var fold = 0; fold < Folds; fold++)
        {
            var kept = published.Select(e => e with { Alternates = [.. e.Alternates.Where((_, i) => i % Folds != fold)] });
            var search = new PolicySearch(seeds.Language, probe, kept);
            foreach (var entry in published)
            {
                foreach (var held in entry.Alternates.Where((_, i) => i % Folds == fold))
                {
                    inScope.Add(Observe(search, held, entry.Id));
                }
            }
        }

        var full = new PolicySearch(seeds.Language, probe, published);
        var outOfScope = seeds.Language.OutOfScopeSamples.Select(q => Observe(full, q, expectedId: null)).ToList();
        return new CalibrationReport(inScope, outOfScope, options);
    }

    private static Observation Observe(PolicySearch search, string question, string? expectedId)
    {
        var result = search.Search(question);
        var eligible = result.Reason is not ("empty" or "no-domain-term") && !result.Reason.StartsWith("out-of-scope", StringComparison.Ordinal);
        var top = result.Candidates.Count > 0 ? result.Candidates[0] : null;
        var second = result.Candidates.Count > 1 ? result.Candidates[1].Confidence : 0;
        return new Observation(question, expectedId, top?.Entry.Id, top?.Confidence ?? 0, second, eligible);
    }

    private static SearchOptions Clone(SearchOptions o) => new()
    {
        AnswerThreshold = o.AnswerThreshold,
        ClarifyMargin = o.ClarifyMargin,
        ClarifyFloor = o.ClarifyFloor,
        MaxCandidates = o.MaxCandidates,
        PhrasingCoverageWeight = o.PhrasingCoverageWeight,
        QuestionCoverageWeight = o.QuestionCoverageWeight,
        AnswerTextWeight = o.AnswerTextWeight,
        EntryCoverageWeight = o.EntryCoverageWeight,
    };
}

/// <summary>One held-out question and what an unthresholded search made of it.</summary>
public sealed record Observation(string Question, string? ExpectedId, string? TopId, double Top, double Second, bool Eligible)
{
    public SearchBand Band(double answerThreshold, double clarifyMargin, double clarifyFloor)
    {
        if (!Eligible || TopId is null || Top < clarifyFloor)
        {
            return SearchBand.Fallback;
        }

        return Top >= answerThreshold && Second < Top - clarifyMargin ? SearchBand.Answer : SearchBand.Clarify;
    }
}

/// <summary>Scores per threshold setting, the best setting, and how confidence tracks accuracy.</summary>
public sealed class CalibrationReport(IReadOnlyList<Observation> inScope, IReadOnlyList<Observation> outOfScope, SearchOptions current)
{
    public IReadOnlyList<Observation> InScope { get; } = inScope;

    public IReadOnlyList<Observation> OutOfScope { get; } = outOfScope;

    /// <summary>Top-1 accuracy of held-out alternates, thresholds aside.</summary>
    public double TopOneAccuracy => InScope.Count == 0 ? 0 : InScope.Count(o => o.TopId == o.ExpectedId) / (double)InScope.Count;

    public BandOutcome Evaluate(double answerThreshold, double clarifyMargin, double clarifyFloor)
    {
        int right = 0, wrong = 0, deferred = 0, oosAnswered = 0;
        foreach (var o in InScope)
        {
            var band = o.Band(answerThreshold, clarifyMargin, clarifyFloor);
            if (band != SearchBand.Answer)
            {
                deferred++;
            }
            else if (o.TopId == o.ExpectedId)
            {
                right++;
            }
            else
            {
                wrong++;
            }
        }

        foreach (var o in OutOfScope)
        {
            oosAnswered += o.Band(answerThreshold, clarifyMargin, clarifyFloor) == SearchBand.Answer ? 1 : 0;
        }

        return new BandOutcome(answerThreshold, clarifyMargin, clarifyFloor, right, wrong, deferred, OutOfScope.Count - oosAnswered, oosAnswered);
    }

    public BandOutcome Best()
    {
        BandOutcome? best = null;
        for (var threshold = 0.20; threshold <= 0.801; threshold += 0.01)
        {
            foreach (var margin in new[] { 0.0, 0.01, 0.02, 0.03, 0.05, 0.08 })
            {
                var outcome = Evaluate(Math.Round(threshold, 2), margin, Math.Min(current.ClarifyFloor, threshold));
                if (best is null || outcome.Utility > best.Utility)
                {
                    best = outcome;
                }
            }
        }

        return best!;
    }

    /// <summary>Held-out alternates whose top candidate is another entry: phrasings the entries lack.</summary>
    public IEnumerable<string> Misread() => InScope
        .Where(o => o.TopId != o.ExpectedId)
        .Select(o => string.Create(CultureInfo.InvariantCulture, $"{o.ExpectedId} <- {o.Question} (read as {o.TopId ?? "nothing"} {o.Top:0.00})"));

    public string Describe()
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $"held-out alternates: {InScope.Count} (in {Calibration.Folds} folds), out-of-scope samples: {OutOfScope.Count}");
        text.AppendLine(inv, $"top-1 accuracy of held-out alternates: {TopOneAccuracy:P1}");
        text.AppendLine("confidence   held-out  top-1 right   out-of-scope");
        for (var low = 0.0; low < 1.0; low += 0.1)
        {
            var high = low + 0.1;
            var bin = InScope.Where(o => o.Eligible && o.Top >= low && (o.Top < high || high >= 1.0)).ToList();
            var oos = OutOfScope.Count(o => o.Eligible && o.Top >= low && (o.Top < high || high >= 1.0));
            var right = bin.Count == 0 ? "-" : (bin.Count(o => o.TopId == o.ExpectedId) / (double)bin.Count).ToString("P0", inv);
            text.AppendLine(inv, $"{low:0.0}-{high:0.0}      {bin.Count,8}  {right,11}   {oos,12}");
        }

        text.AppendLine(inv, $"current: {Evaluate(current.AnswerThreshold, current.ClarifyMargin, current.ClarifyFloor)}");
        text.AppendLine(inv, $"best:    {Best()}");
        return text.ToString();
    }
}

/// <summary>How one threshold setting does on the held-out data.</summary>
public sealed record BandOutcome(double AnswerThreshold, double ClarifyMargin, double ClarifyFloor, int Right, int Wrong, int Deferred, int OutOfScopeRefused, int OutOfScopeAnswered)
{
    public int Utility => Right - Wrong - OutOfScopeAnswered;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"answer>={AnswerThreshold:0.00} margin={ClarifyMargin:0.00} floor={ClarifyFloor:0.00}: right {Right}, wrong {Wrong}, deferred {Deferred}; out-of-scope refused {OutOfScopeRefused}, answered {OutOfScopeAnswered}; utility {Utility}");
}
