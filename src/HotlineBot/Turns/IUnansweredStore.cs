namespace HotlineBot.Turns;

/// <summary>
/// What the admins did with unanswered questions: which wordings were resolved to which entry, and which
/// workers were already sent which entry's answer, so nobody gets the same answer twice. Shared by every
/// instance when the hotline is scaled out, since an admin's requests may reach any of them.
/// </summary>
public interface IUnansweredStore
{
    /// <summary>Records that the questions with these normalized wordings were resolved to the entry.</summary>
    Task ResolveAsync(IReadOnlyCollection<string> questionKeys, string entryId, string resolvedBy, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Each resolved wording's latest resolution time: questions asked before it are done, later ones are new.</summary>
    Task<IReadOnlyDictionary<string, DateTimeOffset>> LatestResolutionsAsync(CancellationToken cancellationToken);

    /// <summary>The workers who were already sent the entry's answer.</summary>
    Task<IReadOnlySet<string>> SentToAsync(string entryId, CancellationToken cancellationToken);

    /// <summary>
    /// Records that the worker was sent the entry's answer in the conversation; false when that was already
    /// recorded (atomically: of two callers at once, exactly one gets true).
    /// </summary>
    Task<bool> RecordSentAsync(string entryId, string worker, string? channelId, string conversationId, DateTimeOffset at, CancellationToken cancellationToken);
}
