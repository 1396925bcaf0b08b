using System.Text.Json.Serialization;

namespace HotlineBot.Cases;

/// <summary>
/// A case (工单): what a worker needs a person for, and everything that happened to it. A new case is
/// a draft until <see cref="ICaseStore.CreateAsync"/> gives it its <see cref="Id"/>; status, assignee,
/// resolution and history change only through <see cref="Lifecycle.CaseStateMachine"/>.
/// </summary>
public sealed class HotlineCase
{
    private readonly List<CaseEvent> _history = [];

    /// <summary>The readable id, <c>12351-YYYYMMDD-NNNN</c> (see <see cref="CaseIds"/>); empty on a draft.</summary>
    public string Id { get; internal set; } = string.Empty;

    public CaseStatus Status { get; internal set; } = CaseStatus.New;

    public CasePriority Priority { get; set; } = CasePriority.Normal;

    public CaseCategory Category { get; set; } = CaseCategory.Consultation;

    public required WorkerContact Worker { get; set; }

    /// <summary>What happened, in the worker's words or the bot's summary.</summary>
    public string Description { get; set; } = string.Empty;

    /// <summary>
    /// The conversation: what the bot answered before the handoff (given at creation), then the lines
    /// added with <see cref="ICaseStore.AppendTranscriptAsync"/>. <see cref="ICaseStore.UpdateAsync"/>
    /// does not write it, so appending never conflicts with an operator's update.
    /// </summary>
    public IList<TranscriptLine> Transcript { get; } = new List<TranscriptLine>();

    /// <summary>When a person must first answer (by priority; set by the follow-up rules).</summary>
    public DateTimeOffset? FirstResponseDue { get; set; }

    /// <summary>The operator who holds or last held the case.</summary>
    public string? Assignee { get; internal set; }

    /// <summary>The operator's resolution, once resolved.</summary>
    public string? Resolution { get; internal set; }

    /// <summary>When the case was opened; its date (in the hotline's time zone) is in the id.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the store last wrote it.</summary>
    public DateTimeOffset UpdatedAt { get; internal set; }

    /// <summary>The stored version: 1 after creation, one more with each update. An update must carry the version it read.</summary>
    public long Version { get; internal set; }

    /// <summary>Every transition and recorded action, oldest first.</summary>
    public IReadOnlyList<CaseEvent> History => _history;

    /// <summary>What the follow-ups have done so far: each job checks it, so running one twice changes nothing twice.</summary>
    public CaseFollowUp FollowUp { get; internal set; } = new();

    /// <summary>Messages for the worker's chat (operator replies, notices, the survey) and whether each arrived.</summary>
    public IList<CaseDelivery> Deliveries { get; } = new List<CaseDelivery>();

    /// <summary>Pictures and files the worker sent into the chat, oldest first, so the operator sees them with the case.</summary>
    public IList<CaseAttachment> Attachments { get; } = new List<CaseAttachment>();

    /// <summary>When the case last entered <paramref name="status"/>, from the history; null when it never did.</summary>
    public DateTimeOffset? LastEntered(CaseStatus status) =>
        _history.LastOrDefault(e => e.To == status && e.From != status)?.At;

    internal void AddEvent(CaseEvent caseEvent) => _history.Add(caseEvent);

    internal void ReplaceHistory(IEnumerable<CaseEvent> events)
    {
        _history.Clear();
        _history.AddRange(events);
    }
}

/// <summary>
/// The worker behind a case and how to reach them again. <see cref="CallbackPhone"/> is kept as the
/// worker gave it; every view shows <see cref="MaskedPhone"/>, and only the assigned operator reveals
/// the number, through <see cref="Lifecycle.CaseStateMachine.RevealCallbackPhone"/>, which records it.
/// </summary>
public sealed record WorkerContact(
    string ChannelId,
    string ConversationId,
    string ConversationReferenceJson,
    string DisplayName,
    string? CallbackPhone = null)
{
    /// <summary>The callback phone as shown everywhere (138****8000), or null when there is none.</summary>
    public string? MaskedPhone => PhoneNumbers.Mask(CallbackPhone);

    /// <summary>Never prints the phone in clear (records print every property).</summary>
    public override string ToString() =>
        $"WorkerContact {{ ChannelId = {ChannelId}, ConversationId = {ConversationId}, DisplayName = {DisplayName}, MaskedPhone = {MaskedPhone} }}";
}

/// <summary>
/// A picture or file the worker sent, kept as the channel's link to it (the bot does not copy the bytes).
/// One per <see cref="Url"/>: the same picture sent twice is kept once.
/// </summary>
/// <param name="Id">The attachment's id on the case.</param>
/// <param name="Name">The channel's name for it (WeChat's MediaId, a file name); may be empty.</param>
/// <param name="ContentType">The MIME type the channel gave, such as <c>image/jpeg</c>.</param>
/// <param name="Url">Where the operator opens it (an absolute http or https address).</param>
/// <param name="AddedAt">When it was added to the case.</param>
public sealed record CaseAttachment(string Id, string Name, string ContentType, string Url, DateTimeOffset AddedAt)
{
    /// <summary>Whether it is a picture (the bot and the history call it 图片, else 文件).</summary>
    [JsonIgnore]
    public bool IsImage => ContentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase);
}

/// <summary>One line of the conversation.</summary>
public sealed record TranscriptLine(DateTimeOffset At, TranscriptRole Role, string Text);

/// <summary>
/// One entry of a case's history: a transition (<see cref="From"/> differs from <see cref="To"/>) or
/// an action recorded without one (such as revealing the callback phone), by <see cref="Actor"/>.
/// </summary>
/// <param name="At">When it happened.</param>
/// <param name="Actor">Who did it: an operator's name, <c>bot</c>, <c>worker</c> or <c>system</c> (a follow-up job).</param>
/// <param name="Action">What happened: the transition's name (<c>open</c>, <c>claim</c>, ...) or the action's.</param>
/// <param name="From">The status before; null for the event that opened the case.</param>
/// <param name="To">The status after (the same as before for an action that is no transition).</param>
/// <param name="Note">Free text: the reason, the survey score, ...</param>
public sealed record CaseEvent(DateTimeOffset At, string Actor, string Action, CaseStatus? From, CaseStatus To, string? Note = null);
