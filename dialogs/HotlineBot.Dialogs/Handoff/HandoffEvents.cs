using System.Text.Json;
using System.Text.Json.Serialization;
using HotlineBot.BotFramework.Schema;
using HotlineBot.Cases;

namespace HotlineBot.Dialogs.Handoff;

/// <summary>What a newly opened case tells an agent hub: the case, how urgent it is, what it is about, and why it opened.</summary>
/// <param name="CaseId">The case's number, as the worker was told it.</param>
/// <param name="Priority">urgent for emergencies, normal for a handoff.</param>
/// <param name="Category">The 12351 category.</param>
/// <param name="Trigger">person-request, not-solved, fallback or emergency.</param>
public sealed record HandoffContext(
    [property: JsonPropertyName("caseId")] string CaseId,
    [property: JsonPropertyName("priority")] CasePriority Priority,
    [property: JsonPropertyName("category")] CaseCategory Category,
    [property: JsonPropertyName("trigger")] string Trigger);

/// <summary>
/// The Bot Framework handoff convention (Bot Builder's <c>EventFactory</c> and <c>HandoffEventNames</c>):
/// when a case opens the bot also sends an <c>event</c> named <c>handoff.initiate</c>, its value the
/// handoff context and its one attachment the transcript, so an external agent hub could take the
/// conversation over. Channels that know nothing of it (Web Chat) do not show events.
/// </summary>
public static class HandoffEvents
{
    public const string Initiate = "handoff.initiate";

    /// <summary>The answer an agent hub would send (accepted / failed / completed); not handled yet.</summary>
    public const string Status = "handoff.status";

    public const string TranscriptContentType = "application/json";

    public const string TranscriptName = "Transcript";

    /// <summary>
    /// The <c>handoff.initiate</c> event for a case opened in the turn of <paramref name="incoming"/>.
    /// <paramref name="transcript"/> is the conversation's activities the bot knows (oldest first); each
    /// goes into the attachment stripped to who said what and when, with phone and ID numbers masked.
    /// </summary>
    public static Activity CreateInitiation(Activity incoming, HandoffContext context, IEnumerable<Activity> transcript)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(transcript);
        var reference = incoming.GetConversationReference();
        var lines = transcript.Select(a => TranscriptCopy(a, reference)).ToList();
        return new Activity
        {
            Type = ActivityTypes.Event,
            Name = Initiate,
            Value = JsonSerializer.SerializeToElement(context, ProtocolJson.Options),
            RelatesTo = reference,
            Attachments =
            [
                new Attachment
                {
                    ContentType = TranscriptContentType,
                    Name = TranscriptName,
                    Content = JsonSerializer.SerializeToElement(new TranscriptContent(lines), ProtocolJson.Options),
                },
            ],
            Entities = [],
        };
    }

    /// <summary>An activity as the transcript keeps it: no channel data the client sent, no attachments or button values.</summary>
    private static Activity TranscriptCopy(Activity activity, ConversationReference reference) => new()
    {
        Type = activity.Type,
        Id = activity.Id,
        Timestamp = activity.Timestamp,
        ChannelId = activity.ChannelId ?? reference.ChannelId,
        Conversation = activity.Conversation ?? reference.Conversation,
        From = activity.From,
        Recipient = activity.Recipient,
        ReplyToId = activity.ReplyToId,
        Locale = activity.Locale,
        TextFormat = activity.TextFormat,
        Text = activity.Text is null ? null : PersonalData.Mask(activity.Text),
        // The bot's own replies keep channelData.hotline (their kind); the worker's channelData is the client's business.
        ChannelData = activity.From?.Role == RoleTypes.Bot ? activity.ChannelData : null,
    };

    private sealed record TranscriptContent([property: JsonPropertyName("activities")] IReadOnlyList<Activity> Activities);
}
