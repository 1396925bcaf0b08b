using System.Text;
using HotlineBot.Cases;
using HotlineBot.Cases.Lifecycle;
using HotlineBot.Cases.Workflow;

namespace HotlineBot.Casework;

/// <summary>Names and labels the API and the console share: kebab-case values, Chinese labels.</summary>
public static class CaseViews
{
    public static IReadOnlyList<string> StatusNames { get; } = [.. Enum.GetValues<CaseStatus>().Select(s => Name(s))];

    /// <summary><c>WaitingForWorker</c> → <c>waiting-for-worker</c>.</summary>
    public static string Kebab(string pascal)
    {
        var builder = new StringBuilder(pascal.Length + 4);
        foreach (var c in pascal)
        {
            if (char.IsUpper(c) && builder.Length > 0)
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    public static string Name(CaseStatus status) => Kebab(status.ToString());

    public static string Name(DeliveryState state) => Kebab(state.ToString());

    public static CaseStatus? ParseStatus(string name) =>
        Enum.GetValues<CaseStatus>().Cast<CaseStatus?>().FirstOrDefault(s => string.Equals(Name(s!.Value), name, StringComparison.OrdinalIgnoreCase));

    public static string Label(CaseStatus status) => status switch
    {
        CaseStatus.New => "待认领",
        CaseStatus.Claimed => "处理中",
        CaseStatus.WaitingForWorker => "等待职工回复",
        CaseStatus.WaitingForOperator => "职工已回复，待处理",
        CaseStatus.Resolved => "已处理，待回访",
        _ => "已结案",
    };
}

/// <summary>A case in the queue.</summary>
public record CaseSummaryView(
    string Id,
    string Status,
    string StatusLabel,
    string Priority,
    string PriorityLabel,
    string Category,
    string CategoryLabel,
    string Description,
    string WorkerName,
    string ChannelId,
    string? CallbackPhone,
    string? CallbackWindow,
    string? Assignee,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FirstResponseDue,
    DateTimeOffset? FirstRespondedAt,
    long Version)
{
    public static CaseSummaryView From(HotlineCase c) => new(
        c.Id,
        CaseViews.Name(c.Status),
        CaseViews.Label(c.Status),
        CaseViews.Kebab(c.Priority.ToString()),
        CaseMessages.PriorityLabel(c.Priority),
        CaseViews.Kebab(c.Category.ToString()),
        CaseStatuses.CategoryLabel(c.Category),
        c.Description,
        c.Worker.DisplayName,
        c.Worker.ChannelId,
        c.Worker.MaskedPhone,
        c.FollowUp.CallbackWindow,
        c.Assignee,
        c.CreatedAt,
        c.UpdatedAt,
        c.FirstResponseDue,
        c.FollowUp.FirstRespondedAt,
        c.Version);
}

/// <summary>A case as an operator opens it (the queue's fields and more), with what the caller may do now.</summary>
public sealed record CaseDetailView : CaseSummaryView
{
    private CaseDetailView(CaseSummaryView summary)
        : base(summary)
    {
    }

    public required IReadOnlyList<TranscriptLineView> Transcript { get; init; }

    public required IReadOnlyList<DeliveryView> Deliveries { get; init; }

    /// <summary>The pictures and files the worker sent, oldest first.</summary>
    public IReadOnlyList<AttachmentView> Attachments { get; init; } = [];

    public required IReadOnlyList<HistoryView> History { get; init; }

    public string? Resolution { get; init; }

    public SurveyView? Survey { get; init; }

    public bool CanClaim { get; init; }

    public bool CanMessage { get; init; }

    public bool CanResolve { get; init; }

    public bool CanReopen { get; init; }

    public bool CanRevealPhone { get; init; }

    public static CaseDetailView From(HotlineCase c, string caller, bool isAdmin)
    {
        var holds = string.Equals(c.Assignee, caller, StringComparison.Ordinal);
        var deliveries = c.Deliveries.Select(DeliveryView.From).ToList();
        return new CaseDetailView(From(c))
        {
            Transcript = [.. c.Transcript.Select(l => new TranscriptLineView(l.At, CaseViews.Kebab(l.Role.ToString()), l.Text,
                // An operator's line and its delivery are written with the same instant.
                l.Role == TranscriptRole.Operator ? deliveries.FirstOrDefault(d => d.Kind == "operator" && d.CreatedAt == l.At) : null))],
            Deliveries = deliveries,
            Attachments = [.. c.Attachments.Select(AttachmentView.From)],
            History = [.. c.History.Select(e => new HistoryView(e.At, e.Actor, e.Action, e.From is { } f ? CaseViews.Name(f) : null, CaseViews.Name(e.To), e.Note is null ? null : PersonalData.Mask(e.Note)))],
            Resolution = c.Resolution is null ? null : PersonalData.Mask(c.Resolution),
            Survey = c.FollowUp.SurveySentAt is null && c.FollowUp.SurveyScore is null ? null : new SurveyView(c.FollowUp.SurveySentAt, c.FollowUp.SurveyScore),
            // Taking over a case someone else holds is for admins (after an escalation), never a silent grab.
            CanClaim = !holds && (c.Assignee is null || isAdmin) && CaseStateMachine.CanApply(c, new ClaimTransition(caller.Length == 0 ? "-" : caller)),
            CanMessage = holds && c.Status is CaseStatus.Claimed or CaseStatus.WaitingForWorker or CaseStatus.WaitingForOperator,
            CanResolve = (holds || isAdmin) && CaseStateMachine.CanApply(c, new ResolveTransition("-")),
            CanReopen = CaseStateMachine.CanApply(c, new ReopenTransition()),
            CanRevealPhone = holds && c.Worker.CallbackPhone is not null,
        };
    }
}

public sealed record TranscriptLineView(DateTimeOffset At, string Role, string Text, DeliveryView? Delivery);

public sealed record DeliveryView(string Id, string Kind, string Text, string Author, DateTimeOffset CreatedAt, string State, int Attempts, string? LastError, DateTimeOffset? DeliveredAt)
{
    public static DeliveryView From(CaseDelivery d) =>
        new(d.Id, CaseViews.Kebab(d.Kind.ToString()), PersonalData.Mask(d.Text), d.Author, d.CreatedAt, CaseViews.Name(d.State), d.Attempts, d.LastError, d.DeliveredAt);
}

/// <summary>A picture or file the worker sent: the console links to <paramref name="Url"/> (always http or https).</summary>
public sealed record AttachmentView(string Id, string Name, string ContentType, bool IsImage, string Url, DateTimeOffset AddedAt)
{
    public static AttachmentView From(CaseAttachment a) => new(a.Id, a.Name, a.ContentType, a.IsImage, a.Url, a.AddedAt);
}

public sealed record HistoryView(DateTimeOffset At, string Actor, string Action, string? From, string To, string? Note);

public sealed record SurveyView(DateTimeOffset? SentAt, int? Score);
