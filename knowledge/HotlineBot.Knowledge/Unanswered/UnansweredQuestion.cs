namespace HotlineBot.Knowledge.Unanswered;

/// <summary>How the bot came to leave a question unanswered.</summary>
public enum UnansweredSource
{
    /// <summary>The knowledge-base search found no confident answer.</summary>
    Fallback,

    /// <summary>The worker pressed 都不是 on the did-you-mean choices.</summary>
    NoneOfThese,

    /// <summary>The worker pressed 没解决 on the answer.</summary>
    NotSolved,
}

/// <summary>One question the bot could not answer, in the worker's words.</summary>
/// <param name="Id">The caller's id for it (a turn's row id), to find it again in its group.</param>
/// <param name="Text">The worker's wording, personal numbers already masked.</param>
/// <param name="At">When the bot failed to answer it.</param>
/// <param name="Source">How the bot failed.</param>
/// <param name="OptedInBy">The worker (an opaque key) who asked to be told when there is an answer; null when nobody did.</param>
public sealed record UnansweredQuestion(long Id, string Text, DateTimeOffset At, UnansweredSource Source, string? OptedInBy = null);

/// <summary>How many of a group's questions came from each source.</summary>
public sealed record UnansweredSourceCounts(int Fallback, int NoneOfThese, int NotSolved);

/// <summary>The entry the search ranks first for a group's wording: where an admin may start.</summary>
public sealed record UnansweredSuggestion(string Id, string Question, double Confidence);

/// <summary>Questions worded alike, for the admins' inbox.</summary>
/// <param name="Id">Stable and URL-safe: derived from the representative wording's normalized text.</param>
/// <param name="Wording">The representative wording (the most frequent, then the most recent).</param>
/// <param name="Count">How many times the bot failed on these questions.</param>
/// <param name="FirstAt">The first time.</param>
/// <param name="LastAt">The last time.</param>
/// <param name="Sources">The count split by source.</param>
/// <param name="Examples">Up to <see cref="UnansweredGrouper.MaxExamples"/> distinct wordings, the most frequent first.</param>
/// <param name="OptedIn">How many workers asked to be told when there is an answer.</param>
/// <param name="Suggestion">The search's best candidate for the wording, or null.</param>
/// <param name="Questions">Every question of the group, oldest first.</param>
public sealed record UnansweredGroup(
    string Id,
    string Wording,
    int Count,
    DateTimeOffset FirstAt,
    DateTimeOffset LastAt,
    UnansweredSourceCounts Sources,
    IReadOnlyList<string> Examples,
    int OptedIn,
    UnansweredSuggestion? Suggestion,
    IReadOnlyList<UnansweredQuestion> Questions);
