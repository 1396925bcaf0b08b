using System.Text.Json;
using System.Text.Json.Serialization;

namespace HotlineBot.Cases.Storage;

/// <summary>
/// The stored JSON shape of a case (without its transcript, which stores keep as separate lines).
/// Kept apart from <see cref="HotlineCase"/> so the model can change without rewriting old rows.
/// </summary>
internal sealed record CaseDocument(
    string Id,
    CaseStatus Status,
    CasePriority Priority,
    CaseCategory Category,
    WorkerDocument Worker,
    string Description,
    DateTimeOffset? FirstResponseDue,
    string? Assignee,
    string? Resolution,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<CaseEvent> History,
    CaseFollowUp? FollowUp = null,
    IReadOnlyList<CaseDelivery>? Deliveries = null,
    IReadOnlyList<CaseAttachment>? Attachments = null)
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static CaseDocument From(HotlineCase c) => new(
        c.Id,
        c.Status,
        c.Priority,
        c.Category,
        new WorkerDocument(c.Worker.ChannelId, c.Worker.ConversationId, c.Worker.ConversationReferenceJson, c.Worker.DisplayName, c.Worker.CallbackPhone),
        c.Description,
        c.FirstResponseDue,
        c.Assignee,
        c.Resolution,
        c.CreatedAt,
        c.UpdatedAt,
        [.. c.History],
        c.FollowUp,
        [.. c.Deliveries],
        c.Attachments.Count == 0 ? null : [.. c.Attachments]);

    public string Serialize() => JsonSerializer.Serialize(this, JsonOptions);

    public static CaseDocument Deserialize(string json) =>
        JsonSerializer.Deserialize<CaseDocument>(json, JsonOptions) ?? throw new JsonException("A stored case is null.");

    public HotlineCase ToCase(long version, IEnumerable<TranscriptLine> transcript)
    {
        var c = new HotlineCase
        {
            Id = Id,
            Status = Status,
            Priority = Priority,
            Category = Category,
            Worker = new WorkerContact(Worker.ChannelId, Worker.ConversationId, Worker.ConversationReference, Worker.DisplayName, Worker.CallbackPhone),
            Description = Description,
            FirstResponseDue = FirstResponseDue,
            Assignee = Assignee,
            Resolution = Resolution,
            CreatedAt = CreatedAt,
            UpdatedAt = UpdatedAt,
            Version = version,
        };
        c.ReplaceHistory(History ?? []);
        c.FollowUp = FollowUp ?? new CaseFollowUp();
        foreach (var delivery in Deliveries ?? [])
        {
            c.Deliveries.Add(delivery);
        }

        foreach (var attachment in Attachments ?? [])
        {
            c.Attachments.Add(attachment);
        }

        foreach (var line in transcript)
        {
            c.Transcript.Add(line);
        }

        return c;
    }
}

/// <summary>The stored worker; <c>ConversationReference</c> is the serialized conversation reference, as the bot gave it.</summary>
internal sealed record WorkerDocument(string ChannelId, string ConversationId, string ConversationReference, string DisplayName, string? CallbackPhone);
