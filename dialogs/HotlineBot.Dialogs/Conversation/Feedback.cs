using System.Text.Json;
using System.Text.Json.Serialization;
using HotlineBot.BotFramework.Schema;
using HotlineBot.Knowledge.Text;

namespace HotlineBot.Dialogs.Conversation;

/// <summary>What a worker said about the last reply, through its buttons or in the same words.</summary>
public enum FeedbackKind
{
    /// <summary>有帮助: the answer helped.</summary>
    Helpful,

    /// <summary>没解决: the answer did not solve it.</summary>
    NotSolved,

    /// <summary>都不是: none of the did-you-mean choices.</summary>
    NoneOfThese,
}

/// <summary>
/// The feedback buttons and how their replies are recognized. The buttons are <c>messageBack</c>:
/// they send their title as text (so a channel that only knows text, or a worker who types 没解决,
/// still works) and a <see cref="FeedbackValue"/> naming the entry they refer to, so the bot keeps
/// no memory between turns to know which answer the feedback is about.
/// </summary>
public static class Feedback
{
    public const string HelpfulText = "有帮助";
    public const string NotSolvedText = "没解决";
    public const string NoneOfTheseText = "都不是";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly Dictionary<string, FeedbackKind> Phrases = new(StringComparer.Ordinal)
    {
        ["有帮助"] = FeedbackKind.Helpful,
        ["有用"] = FeedbackKind.Helpful,
        ["很有用"] = FeedbackKind.Helpful,
        ["解决了"] = FeedbackKind.Helpful,
        ["已解决"] = FeedbackKind.Helpful,
        ["没解决"] = FeedbackKind.NotSolved,
        ["没有解决"] = FeedbackKind.NotSolved,
        ["未解决"] = FeedbackKind.NotSolved,
        ["没帮助"] = FeedbackKind.NotSolved,
        ["没有帮助"] = FeedbackKind.NotSolved,
        ["没用"] = FeedbackKind.NotSolved,
        ["没有用"] = FeedbackKind.NotSolved,
        ["答非所问"] = FeedbackKind.NotSolved,
        ["都不是"] = FeedbackKind.NoneOfThese,
        ["都不对"] = FeedbackKind.NoneOfThese,
        ["都不是的"] = FeedbackKind.NoneOfThese,
        ["不是这个"] = FeedbackKind.NoneOfThese,
    };

    /// <summary>The feedback a message gives, or null when it is not feedback: the whole message must be one of the phrases.</summary>
    public static FeedbackKind? Recognize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var key = TextNormalizer.Normalize(text).Replace(" ", string.Empty, StringComparison.Ordinal).TrimEnd('了', '啊', '呀', '吧');
        return Phrases.TryGetValue(key, out var kind) || Phrases.TryGetValue(key + "了", out kind) ? kind : null;
    }

    /// <summary>The entry a feedback message refers to, from the button's value; null when it was typed or the value is missing.</summary>
    public static string? EntryIdOf(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (activity.Value is not { ValueKind: JsonValueKind.Object } value)
        {
            return null;
        }

        try
        {
            var parsed = value.Deserialize<FeedbackValue>(Json);
            return string.IsNullOrWhiteSpace(parsed?.EntryId) ? null : parsed.EntryId;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A feedback button: sends <paramref name="title"/> as text and the entry in its value.</summary>
    public static CardAction Button(string title, FeedbackKind kind, string? entryId) => new()
    {
        Type = ActionTypes.MessageBack,
        Title = title,
        Text = title,
        DisplayText = title,
        Value = JsonSerializer.SerializeToElement(new FeedbackValue(Name(kind), entryId), Json),
    };

    /// <summary>The name turn records use: helpful, not-solved, none-of-these.</summary>
    public static string Name(FeedbackKind kind) => kind switch
    {
        FeedbackKind.Helpful => "helpful",
        FeedbackKind.NotSolved => "not-solved",
        _ => "none-of-these",
    };
}

/// <summary>The value a feedback button sends beside its text.</summary>
public sealed record FeedbackValue(
    [property: JsonPropertyName("feedback")] string Feedback,
    [property: JsonPropertyName("entryId")] string? EntryId);
