using HotlineBot.Knowledge.Entries;

namespace HotlineBot.Knowledge.Search;

/// <summary>What the search concluded: give the answer, ask which one was meant, or say there is none.</summary>
public enum SearchBand
{
    Answer,
    Clarify,
    Fallback,
}

/// <summary>One ranked entry, with the question's terms it matched (for the admins' "why this answer" view).</summary>
public sealed record SearchCandidate(PolicyEntry Entry, double Confidence, string MatchedPhrasing, IReadOnlyList<string> MatchedTerms);

/// <summary>The outcome of one search.</summary>
/// <param name="Question">The question as asked.</param>
/// <param name="Normalized">The question after normalization (simplified, width-folded, noise removed).</param>
/// <param name="Band">What to do with the candidates.</param>
/// <param name="Confidence">The top candidate's confidence, 0..1 (0 when there is none).</param>
/// <param name="Candidates">Best first; for <see cref="SearchBand.Clarify"/> these are the choices to offer.</param>
/// <param name="Reason">Why the band was chosen: answer, close-candidates, low-confidence, no-domain-term, out-of-scope:&lt;cue&gt;, empty.</param>
public sealed record SearchResult(
    string Question,
    string Normalized,
    SearchBand Band,
    double Confidence,
    IReadOnlyList<SearchCandidate> Candidates,
    string Reason)
{
    /// <summary>The entry to answer with, when the band is <see cref="SearchBand.Answer"/>.</summary>
    public PolicyEntry? Answer => Band == SearchBand.Answer ? Candidates[0].Entry : null;
}
