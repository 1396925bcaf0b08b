namespace HotlineBot.Dialogs.Clarify;

/// <summary>One did-you-mean choice: the entry it answers with, its question (the button) and its search confidence.</summary>
public sealed record ClarifyCandidate(string EntryId, string Question, double Confidence);

/// <summary>
/// What the clarify dialog offers: the candidates, best first, and the search's confidence. Kept in
/// conversation state while the dialog waits, so it must round-trip through JSON.
/// </summary>
public sealed record ClarifyOptions(IReadOnlyList<ClarifyCandidate> Candidates, double Confidence);

/// <summary>How the clarify dialog ended.</summary>
public enum ClarifyOutcome
{
    /// <summary>The worker picked one of the candidates.</summary>
    Chosen,

    /// <summary>The worker picked 都不是.</summary>
    NoneOfThese,

    /// <summary>The worker kept answering something else after being asked again: the message is handled as a new one.</summary>
    GaveUp,
}

/// <summary>The clarify dialog's result: the outcome and, when one was picked, the candidate.</summary>
public sealed record ClarifyResult(ClarifyOutcome Outcome, ClarifyCandidate? Chosen = null);
