using System.Text.Json;
using HotlineBot.BotFramework.Schema;
using HotlineBot.Cases;
using HotlineBot.Dialogs.Replies;

namespace HotlineBot.Turns;

/// <summary>One line of a conversation's transcript, as an operator reads it (personal numbers masked).</summary>
public sealed record TranscriptLine(DateTimeOffset Timestamp, string Role, string Type, string Text, string? Kind);

/// <summary>A transcript line with the conversation it belongs to, as a store receives it to write.</summary>
internal sealed record ConversationLine(string ChannelId, string ConversationId, TranscriptLine Line);

/// <summary>
/// What every transcript store keeps of an activity and gives back, in one place so the embedded and the
/// shared store mask the same numbers and hand a handoff the same activities.
/// </summary>
internal static class TranscriptLines
{
    /// <summary>How a line is stored as JSON (the shared store's list items).</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The masked line of an activity that belongs to a conversation (channel and conversation id set);
    /// null for one that does not, which no transcript keeps.
    /// </summary>
    public static ConversationLine? From(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (activity.ChannelId is not { Length: > 0 } channelId || activity.Conversation?.Id is not { Length: > 0 } conversationId)
        {
            return null;
        }

        return new ConversationLine(channelId, conversationId, new TranscriptLine(
            (activity.Timestamp ?? DateTimeOffset.UtcNow).ToUniversalTime(),
            activity.From?.Role ?? RoleTypes.User,
            activity.Type ?? string.Empty,
            PersonalData.Mask(activity.Text),
            activity.GetHotlineMetadata()?.Kind));
    }

    /// <summary>A stored line as an activity: who, what, when, and the reply kind in <c>channelData.hotline</c>.</summary>
    public static Activity ToActivity(TranscriptLine line, string channelId, string conversationId)
    {
        ArgumentNullException.ThrowIfNull(line);
        var activity = new Activity
        {
            Type = line.Type,
            Timestamp = line.Timestamp,
            ChannelId = channelId,
            Conversation = new ConversationAccount { Id = conversationId },
            From = new ChannelAccount { Id = line.Role, Role = line.Role },
            Text = line.Text,
        };
        return line.Kind is null ? activity : activity.WithHotlineMetadata(new HotlineMetadata(line.Kind));
    }

    public static string Serialize(TranscriptLine line) => JsonSerializer.Serialize(line, JsonOptions);

    public static TranscriptLine Deserialize(string json) =>
        JsonSerializer.Deserialize<TranscriptLine>(json, JsonOptions) ?? throw new JsonException("A stored transcript line is null.");
}
