namespace HotlineBot.Dialogs.TurnLogging;

/// <summary>
/// One turn: what the worker asked (phone and ID numbers masked) and what the bot did with it.
/// </summary>
/// <param name="Timestamp">When the bot handled the turn.</param>
/// <param name="ConversationId">The conversation, as the channel names it.</param>
/// <param name="UserHash">A one-way hash of the channel and user id (<see cref="PersonalDataMasker.HashUserId"/>); no raw ids are kept.</param>
/// <param name="Question">The worker's text with personal numbers masked (empty for attachments only).</param>
/// <param name="Kind">The reply's kind (<c>channelData.hotline.kind</c>); empty when the message went to an operator and the bot said nothing.</param>
public sealed record TurnRecord(DateTimeOffset Timestamp, string ConversationId, string UserHash, string Question, string Kind)
{
    /// <summary>The entry answered with; for feedback, the entry the feedback refers to (when the button named it).</summary>
    public string? EntryId { get; init; }

    /// <summary>The search confidence, 0..1, when the knowledge base was searched.</summary>
    public double? Confidence { get; init; }

    /// <summary>
    /// Why the reply is what it is: the search band's reason (answer, close-candidates,
    /// low-confidence, no-domain-term, out-of-scope:&lt;cue&gt;, empty), question-text (a did-you-mean
    /// choice's question, answered with its entry), emergency:&lt;categories&gt;, smalltalk:&lt;intent&gt;,
    /// feedback:&lt;kind&gt;, answer-requested (有答案时告诉我: the worker wants the answer to the conversation's
    /// last unanswered question once there is one), person-requested, welcome, no-text, attachments-only; handoff-opened,
    /// callback-requested, callback-set; relayed, relayed-announced, relay-no-text, relay-failed (a case an
    /// operator holds); attachment-added (a picture or file kept on the open case); survey-closed, survey-reopened, survey-failed.
    /// </summary>
    public string? Reason { get; init; }

    /// <summary>helpful, not-solved or none-of-these when the worker gave feedback this turn.</summary>
    public string? Feedback { get; init; }

    /// <summary>The case the turn opened (urgent cases for emergencies), relayed to, rated, attached a picture to, or gave a callback number.</summary>
    public string? CaseId { get; init; }

    /// <summary>The channel the turn came from (webchat, directline, emulator ...).</summary>
    public string? ChannelId { get; init; }
}
