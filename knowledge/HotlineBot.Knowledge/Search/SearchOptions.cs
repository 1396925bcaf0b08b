using System.ComponentModel.DataAnnotations;
using HotlineBot.Knowledge.Text;

namespace HotlineBot.Knowledge.Search;

/// <summary>
/// Band thresholds and scoring shape (config section <c>Hotline:Knowledge</c>). The defaults were
/// tuned on alternates held out of the seed entries and on the out-of-scope samples (the
/// <c>calibrate</c> command), never on the evaluation cases.
/// </summary>
public sealed class SearchOptions
{
    public const string Section = "Hotline:Knowledge";

    /// <summary>Confidence at or above which the top entry is given as the answer.</summary>
    [Range(0.0, 1.0)]
    public double AnswerThreshold { get; set; } = 0.26;

    /// <summary>When the runner-up is within this much of the top entry, ask which one was meant.</summary>
    [Range(0.0, 1.0)]
    public double ClarifyMargin { get; set; } = 0.02;

    /// <summary>Below this, nothing is relevant: fall back. Between this and the answer threshold, offer choices.</summary>
    [Range(0.0, 1.0)]
    public double ClarifyFloor { get; set; } = 0.10;

    /// <summary>How many candidates a result lists (and at most how many did-you-mean choices).</summary>
    [Range(1, 10)]
    public int MaxCandidates { get; set; } = 3;

    /// <summary>What finds the general words beside the domain dictionary and bigrams.</summary>
    public SegmenterKind Segmenter { get; set; } = SegmenterKind.Dictionary;

    /// <summary>Weight of a character bigram against a word's 1.</summary>
    [Range(0.0, 1.0)]
    public double BigramWeight { get; set; } = 0.15;

    /// <summary>Weight of a single character against a word's 1.</summary>
    [Range(0.0, 1.0)]
    public double UnigramWeight { get; set; } = 0.1;

    /// <summary>Exponent on how much of a phrasing the question covers.</summary>
    [Range(0.0, 2.0)]
    public double PhrasingCoverageWeight { get; set; } = 0.7;

    /// <summary>Exponent on how much of the question a phrasing covers (low: long stories still match).</summary>
    [Range(0.0, 2.0)]
    public double QuestionCoverageWeight { get; set; } = 0.2;

    /// <summary>Share of the confidence from how much of the question the entry's phrasings cover together.</summary>
    [Range(0.0, 1.0)]
    public double EntryCoverageWeight { get; set; } = 0.2;

    /// <summary>Share of the confidence that comes from the answer text rather than the phrasings.</summary>
    [Range(0.0, 1.0)]
    public double AnswerTextWeight { get; set; } = 0.25;
}
