using System.Text.Json;
using System.Text.Json.Serialization;

namespace HotlineBot.BotFramework.Schema;

/// <summary>A card or file carried by an activity.</summary>
public sealed class Attachment
{
    public string? ContentType { get; set; }

    public string? ContentUrl { get; set; }

    public JsonElement? Content { get; set; }

    public string? Name { get; set; }

    public string? ThumbnailUrl { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Properties { get; set; }
}

/// <summary>Buttons offered with a message, gone once the user answers.</summary>
public sealed class SuggestedActions
{
    public List<string>? To { get; set; }

    public List<CardAction> Actions { get; set; } = [];
}

/// <summary>A button: what it shows, and what it sends when pressed.</summary>
public sealed class CardAction
{
    public string Type { get; set; } = ActionTypes.ImBack;

    public string? Title { get; set; }

    public string? Image { get; set; }

    public string? Text { get; set; }

    public string? DisplayText { get; set; }

    public JsonElement? Value { get; set; }

    public static CardAction ImBack(string title, string? value = null) => new()
    {
        Type = ActionTypes.ImBack,
        Title = title,
        Value = JsonSerializer.SerializeToElement(value ?? title, ProtocolJson.Options),
    };
}

public static class ActionTypes
{
    public const string ImBack = "imBack";
    public const string PostBack = "postBack";
    public const string MessageBack = "messageBack";
    public const string OpenUrl = "openUrl";
    public const string Call = "call";
}

/// <summary>A hero card: title, text and buttons.</summary>
public sealed class HeroCard
{
    public const string ContentType = "application/vnd.microsoft.card.hero";

    public string? Title { get; set; }

    public string? Subtitle { get; set; }

    public string? Text { get; set; }

    public List<CardAction>? Buttons { get; set; }

    public Attachment ToAttachment() => new()
    {
        ContentType = ContentType,
        Content = JsonSerializer.SerializeToElement(this, ProtocolJson.Options),
    };
}

/// <summary>Metadata about an activity (mentions, places, client capabilities ...).</summary>
public sealed class Entity
{
    public string? Type { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Properties { get; set; }
}
