using System.Globalization;
using System.Text;
using HotlineBot.Knowledge.Loading;
using HotlineBot.Knowledge.Search;

namespace HotlineBot.Knowledge.Evaluation;

/// <summary>
/// Tunes the band thresholds on the knowledge base's own content, never on evaluation cases:
/// alternates are held out fold by fold (the index is built without them, then each is asked),
/// and the out-of-scope samples of seeds/ are asked of the full index. A right answer scores 1, a
/// did-you-mean that offers the right entry 0.5, a fallback 0, a wrong answer −1, and answering an
/// out-of-scope sample −1 weighted so that the samples count as a quarter of all questions.
/// </summary>
public static class Calibration
{
    public const int Folds = 5;

    /// <summary>The share of workers' questions taken to be ones the knowledge base cannot answer.</summary>
    public const double OutOfScopeShare = 0.25;

    public static CalibrationReport Run(SeedSet seeds, SearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(options);
        var probe = Clone(options);
        probe.AnswerThreshold = 0;
        probe.ClarifyMargin = 0;
        probe.ClarifyFloor = 0;
        probe.MaxCandidates = 3;
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
        return new Observation(question, expectedId, eligible, [.. result.Candidates.Select(c => (c.Entry.Id, c.Confidence))]);
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
        Segmenter = o.Segmenter,
        BigramWeight = o.BigramWeight,
        UnigramWeight = o.UnigramWeight,
    };
}

/// <summary>One held-out question and what an unthresholded search made of it (its top candidates).</summary>
public sealed record Observation(string Question, string? ExpectedId, bool Eligible, IReadOnlyList<(string Id, double Confidence)> Candidates)
{
    public string? TopId => Candidates.Count > 0 ? Candidates[0].Id : null;

    public double Top => Candidates.Count > 0 ? Candidates[0].Confidence : 0;

    private double Second => Candidates.Count > 1 ? Candidates[1].Confidence : 0;

    public SearchBand Band(double answerThreshold, double clarifyMargin, double clarifyFloor)
    {
        if (!Eligible || TopId is null || Top < clarifyFloor)
        {
            return SearchBand.Fallback;
        }

        return Top >= answerThreshold && Second < Top - clarifyMargin ? SearchBand.Answer : SearchBand.Clarify;
    }

    /// <summary>Whether a did-you-mean at these settings would offer the expected entry.</summary>
    public bool ClarifyOffersExpected(double answerThreshold, double clarifyMargin, double clarifyFloor)
    {
        var floor = Top >= answerThreshold ? Top - clarifyMargin : clarifyFloor;
        return Candidates.Any(c => c.Id == ExpectedId && c.Confidence >= floor);
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
        int right = 0, wrong = 0, deferred = 0, offered = 0, oosAnswered = 0;
        foreach (var o in InScope)
        {
            var band = o.Band(answerThreshold, clarifyMargin, clarifyFloor);
            if (band != SearchBand.Answer)
            {
                deferred++;
                offered += band == SearchBand.Clarify && o.ClarifyOffersExpected(answerThreshold, clarifyMargin, clarifyFloor) ? 1 : 0;
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

        // The samples stand for the share of real traffic the knowledge base cannot answer,
        // however many of them there are beside the held-out alternates.
        var outOfScopeWeight = OutOfScope.Count == 0 ? 0
            : Calibration.OutOfScopeShare / (1 - Calibration.OutOfScopeShare) * InScope.Count / OutOfScope.Count;
        return new BandOutcome(answerThreshold, clarifyMargin, clarifyFloor, right, wrong, deferred, offered, OutOfScope.Count - oosAnswered, oosAnswered, outOfScopeWeight);
    }

    public BandOutcome Best()
    {
        BandOutcome? best = null;
        for (var step = 15; step <= 80; step++)
        {
            foreach (var margin in new[] { 0.0, 0.01, 0.02, 0.03, 0.05, 0.08 })
            {
                foreach (var floor in new[] { 0.1, 0.15, 0.2, 0.25, 0.3 })
                {
                    var threshold = step / 100.0;
                    var outcome = Evaluate(threshold, margin, Math.Min(floor, threshold));
                    if (best is null || outcome.Utility > best.Utility)
                    {
                        best = outcome;
                    }
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
        for (var decile = 0; decile < 10; decile++)
        {
            var (low, high) = (decile / 10.0, (decile + 1) / 10.0);
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
public sealed record BandOutcome(double AnswerThreshold, double ClarifyMargin, double ClarifyFloor, int Right, int Wrong, int Deferred, int OfferedInClarify, int OutOfScopeRefused, int OutOfScopeAnswered, double OutOfScopeWeight)
{
    public double Utility => Right + (0.5 * OfferedInClarify) - Wrong - (OutOfScopeWeight * OutOfScopeAnswered);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"answer>={AnswerThreshold:0.00} margin={ClarifyMargin:0.00} floor={ClarifyFloor:0.00}: right {Right}, wrong {Wrong}, deferred {Deferred} ({OfferedInClarify} offered as a choice); out-of-scope refused {OutOfScopeRefused}, answered {OutOfScopeAnswered}; utility {Utility:0.0}");
}
