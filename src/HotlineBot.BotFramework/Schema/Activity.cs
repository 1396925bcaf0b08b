using System.Text.Json;
using System.Text.Json.Serialization;

namespace HotlineBot.BotFramework.Schema;

/// <summary>
/// The Bot Framework Activity (botframework-activity.md): every message, event and update that
/// passes between a channel and the bot. Properties this type does not name are kept in
/// <see cref="Properties"/> so that a round trip loses nothing.
/// </summary>
public sealed class Activity
{
    public string? Type { get; set; }

    public string? Id { get; set; }

    public DateTimeOffset? Timestamp { get; set; }

    public DateTimeOffset? LocalTimestamp { get; set; }

    public string? LocalTimezone { get; set; }

    public string? ServiceUrl { get; set; }

    public string? ChannelId { get; set; }

    public ChannelAccount? From { get; set; }

    public ConversationAccount? Conversation { get; set; }

    public ChannelAccount? Recipient { get; set; }

    public string? TextFormat { get; set; }

    public string? AttachmentLayout { get; set; }

    public List<ChannelAccount>? MembersAdded { get; set; }

    public List<ChannelAccount>? MembersRemoved { get; set; }

    public string? Locale { get; set; }

    public string? Text { get; set; }

    public string? Speak { get; set; }

    public string? InputHint { get; set; }

    public string? Summary { get; set; }

    public SuggestedActions? SuggestedActions { get; set; }

    public List<Attachment>? Attachments { get; set; }

    public List<Entity>? Entities { get; set; }

    /// <summary>Channel-specific data; for this bot's replies it carries <c>hotline</c> metadata.</summary>
    public JsonElement? ChannelData { get; set; }

    public string? Action { get; set; }

    public string? ReplyToId { get; set; }

    public string? Label { get; set; }

    public string? ValueType { get; set; }

    public JsonElement? Value { get; set; }

    public string? Name { get; set; }

    public ConversationReference? RelatesTo { get; set; }

    public string? Code { get; set; }

    public DateTimeOffset? Expiration { get; set; }

    public string? Importance { get; set; }

    public string? DeliveryMode { get; set; }

    public List<string>? ListenFor { get; set; }

    public List<TextHighlight>? TextHighlights { get; set; }

    public string? CallerId { get; set; }

    /// <summary>Whatever else the sender put in the activity, kept as received.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Properties { get; set; }

    public static Activity CreateMessageActivity(string? text = null) => new() { Type = ActivityTypes.Message, Text = text };

    public static Activity CreateTypingActivity() => new() { Type = ActivityTypes.Typing };

    /// <summary>A reply to this activity: addressed back to the sender, in the same conversation.</summary>
    public Activity CreateReply(string? text = null) => new()
    {
        Type = ActivityTypes.Message,
        Timestamp = DateTimeOffset.UtcNow,
        From = Recipient is null ? null : new ChannelAccount { Id = Recipient.Id, Name = Recipient.Name, Role = RoleTypes.Bot },
        Recipient = From is null ? null : new ChannelAccount { Id = From.Id, Name = From.Name, Role = From.Role },
        ReplyToId = Id,
        ServiceUrl = ServiceUrl,
        ChannelId = ChannelId,
        Conversation = Conversation,
        Text = text ?? string.Empty,
        Locale = Locale,
        Attachments = [],
        Entities = [],
    };

    /// <summary>Where this activity came from, enough to send into its conversation later.</summary>
    public ConversationReference GetConversationReference() => new()
    {
        ActivityId = Type == ActivityTypes.ConversationUpdate ? null : Id,
        User = From,
        Bot = Recipient,
        Conversation = Conversation,
        ChannelId = ChannelId,
        Locale = Locale,
        ServiceUrl = ServiceUrl,
    };
}

/// <summary>The activity types of the specification that this library dispatches.</summary>
public static class ActivityTypes
{
    public const string Message = "message";
    public const string ConversationUpdate = "conversationUpdate";
    public const string Event = "event";
    public const string Typing = "typing";
    public const string EndOfConversation = "endOfConversation";
    public const string Invoke = "invoke";
    public const string InvokeResponse = "invokeResponse";
    public const string MessageReaction = "messageReaction";
    public const string InstallationUpdate = "installationUpdate";
    public const string Trace = "trace";
}

public static class DeliveryModes
{
    public const string Normal = "normal";
    public const string Notification = "notification";
    public const string ExpectReplies = "expectReplies";
    public const string Ephemeral = "ephemeral";
}

public static class RoleTypes
{
    public const string User = "user";
    public const string Bot = "bot";
    public const string Skill = "skill";
}

public static class InputHints
{
    public const string AcceptingInput = "acceptingInput";
    public const string IgnoringInput = "ignoringInput";
    public const string ExpectingInput = "expectingInput";
}
