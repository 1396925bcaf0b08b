using HotlineBot.Dialogs.Conversation;
using HotlineBot.Dialogs.Replies;
using HotlineBot.Dialogs.TurnLogging;
using HotlineBot.Knowledge.Unanswered;

namespace HotlineBot.Turns;

/// <summary>An unanswered question found in the turn records, with the conversation it was asked in.</summary>
/// <param name="Question">The worker's question; its id is the row id of the turn that left it unanswered.</param>
/// <param name="ChannelId">The channel of the conversation.</param>
/// <param name="ConversationId">The conversation (where a later answer goes, for a worker who asked for it).</param>
public sealed record UnansweredTurn(UnansweredQuestion Question, string? ChannelId, string ConversationId);

/// <summary>
/// Reads the questions the bot could not answer out of the turn records: fallbacks of the knowledge
/// base's search (not requests for a person, small talk, emergencies, relays or messages without words),
/// 都不是 on did-you-mean (the question is the one that brought the choices) and 没解决 on an answer
/// (the question is the one answered; for a did-you-mean choice, the one that brought the choices).
/// A later 有答案时告诉我 (<see cref="AnswerRequest.Reason"/>) opts the worker in for the
/// conversation's last unanswered question before it.
/// </summary>
public static class UnansweredTurns
{
    /// <summary>The search bands' reasons for a fallback (see <c>PolicySearch</c>).</summary>
    private static readonly HashSet<string> SearchFallbackReasons = new(StringComparer.Ordinal)
    {
        "low-confidence", "no-domain-term", "close-candidates", "empty",
    };

    private const string OutOfScopePrefix = "out-of-scope:";

    /// <summary>The reason of the answer to a did-you-mean choice: its text is the choice, not the question.</summary>
    private const string ClarifyChoiceReason = "clarify-choice";

    /// <summary>The reason of a did-you-mean asked again: its text is a failed pick, not the question.</summary>
    private const string ClarifyRetryReason = "clarify-retry";

    /// <summary>The unanswered questions among <paramref name="turns"/> (in recorded order), in the same order.</summary>
    public static IReadOnlyList<UnansweredTurn> Collect(IReadOnlyList<StoredTurn> turns)
    {
        ArgumentNullException.ThrowIfNull(turns);
        var found = new List<UnansweredTurn>();
        foreach (var conversation in turns.GroupBy(t => t.Record.ConversationId, StringComparer.Ordinal))
        {
            var said = conversation.ToList();
            var asked = new List<UnansweredTurn>();
            for (var i = 0; i < said.Count; i++)
            {
                var record = said[i].Record;
                if (record.Reason == AnswerRequest.Reason)
                {
                    if (asked.Count > 0)
                    {
                        asked[^1] = asked[^1] with { Question = asked[^1].Question with { OptedInBy = record.UserHash } };
                    }

                    continue;
                }

                if (Unanswered(said, i) is { } question)
                {
                    asked.Add(new UnansweredTurn(question, record.ChannelId, record.ConversationId));
                }
            }

            found.AddRange(asked);
        }

        // A question's id is its turn's row id: the order the turns were recorded in.
        return [.. found.OrderBy(f => f.Question.Id)];
    }

    /// <summary>The question the turn at <paramref name="i"/> left unanswered, or null.</summary>
    private static UnansweredQuestion? Unanswered(List<StoredTurn> said, int i)
    {
        var (id, record) = (said[i].Id, said[i].Record);
        if (record.Feedback == Feedback.Name(FeedbackKind.NoneOfThese))
        {
            return ClarifiedBefore(said, i) is { } clarified
                ? new UnansweredQuestion(id, clarified.Question, record.Timestamp, UnansweredSource.NoneOfThese)
                : null;
        }

        if (record.Feedback == Feedback.Name(FeedbackKind.NotSolved))
        {
            var answered = Last(said, i, r => r.Kind == ReplyKinds.Answer && (record.EntryId is null || r.EntryId == record.EntryId));
            if (answered is null)
            {
                return null;
            }

            var question = said[answered.Value].Record.Reason == ClarifyChoiceReason
                ? ClarifiedBefore(said, answered.Value)?.Question
                : said[answered.Value].Record.Question;
            return question is null ? null : new UnansweredQuestion(id, question, record.Timestamp, UnansweredSource.NotSolved);
        }

        return record.Kind == ReplyKinds.Fallback && record.Feedback is null && IsSearchFallback(record.Reason)
            ? new UnansweredQuestion(id, record.Question, record.Timestamp, UnansweredSource.Fallback)
            : null;
    }

    private static bool IsSearchFallback(string? reason) =>
        reason is not null && (SearchFallbackReasons.Contains(reason) || reason.StartsWith(OutOfScopePrefix, StringComparison.Ordinal));

    /// <summary>The turn that brought the did-you-mean choices answered at or before <paramref name="before"/>.</summary>
    private static TurnRecord? ClarifiedBefore(List<StoredTurn> said, int before) =>
        Last(said, before, r => r.Kind == ReplyKinds.Clarify && r.Reason != ClarifyRetryReason) is { } index ? said[index].Record : null;

    /// <summary>The index of the last turn before <paramref name="before"/> that matches, or null.</summary>
    private static int? Last(List<StoredTurn> said, int before, Func<TurnRecord, bool> match)
    {
        for (var j = before - 1; j >= 0; j--)
        {
            if (match(said[j].Record))
            {
                return j;
            }
        }

        return null;
    }
}
