using System.Text.Json;
using System.Text.Json.Serialization;

namespace HotlineBot.BotFramework.Schema;

/// <summary>A user or bot on a channel.</summary>
public sealed class ChannelAccount
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? AadObjectId { get; set; }

    public string? Role { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Properties { get; set; }
}

/// <summary>The conversation an activity belongs to.</summary>
public sealed class ConversationAccount
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public bool? IsGroup { get; set; }

    public string? ConversationType { get; set; }

    public string? TenantId { get; set; }

    public string? Role { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Properties { get; set; }
}

/// <summary>Enough about a conversation to send into it later (proactive messages).</summary>
public sealed class ConversationReference
{
    public string? ActivityId { get; set; }

    public ChannelAccount? User { get; set; }

    public ChannelAccount? Bot { get; set; }

    public ConversationAccount? Conversation { get; set; }

    public string? ChannelId { get; set; }

    public string? Locale { get; set; }

    public string? ServiceUrl { get; set; }

    /// <summary>An activity addressed into the referenced conversation, as the bot.</summary>
    public Activity GetContinuationActivity() => new()
    {
        Type = ActivityTypes.Event,
        Name = "ContinueConversation",
        Id = Guid.NewGuid().ToString("n"),
        ChannelId = ChannelId,
        ServiceUrl = ServiceUrl,
        Conversation = Conversation,
        Recipient = Bot,
        From = User,
        RelatesTo = this,
        Locale = Locale,
    };
}

/// <summary>A highlighted part of the text an activity refers to.</summary>
public sealed class TextHighlight
{
    public string? Text { get; set; }

    public int? Occurrence { get; set; }
}

/// <summary>The Connector's answer to a sent activity.</summary>
public sealed class ResourceResponse
{
    public ResourceResponse()
    {
    }

    public ResourceResponse(string? id) => Id = id;

    public string? Id { get; set; }
}

/// <summary>The body of an <c>expectReplies</c> turn's response.</summary>
public sealed class ExpectedReplies
{
    public List<Activity> Activities { get; set; } = [];
}
