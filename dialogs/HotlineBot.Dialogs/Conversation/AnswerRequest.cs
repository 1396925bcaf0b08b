using HotlineBot.Knowledge.Text;

namespace HotlineBot.Dialogs.Conversation;

/// <summary>
/// Recognizes a worker asking to be told once the question the bot could not answer has an answer:
/// the 有答案时告诉我 button of the knowledge base's fallback, or the same words typed. The turn is
/// recorded with reason <see cref="Reason"/>; the host links it to the conversation's last unanswered
/// question and sends the answer when an admin publishes one.
/// </summary>
public static class AnswerRequest
{
    /// <summary>The button on the knowledge base's fallback.</summary>
    public const string ButtonText = "有答案时告诉我";

    /// <summary>The turn record's reason for the request.</summary>
    public const string Reason = "answer-requested";

    /// <summary>Whole messages that ask for it, normalized, without a trailing particle.</summary>
    private static readonly HashSet<string> Phrases = new(StringComparer.Ordinal)
    {
        "有答案时告诉我", "有答案告诉我", "有答案了告诉我", "有答案再告诉我", "有答案了再告诉我", "有了答案告诉我", "有答案的时候告诉我",
        "有答案时通知我", "有答案通知我", "有答案了通知我", "有答案再通知我", "有了答案通知我", "有答案的时候通知我",
    };

    /// <summary>True when the whole message asks to be told once there is an answer.</summary>
    public static bool IsRequest(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var key = TextNormalizer.Normalize(text).Replace(" ", string.Empty, StringComparison.Ordinal).TrimEnd('吧', '啊', '呀', '哦');
        return Phrases.Contains(key) || (key.StartsWith('请') && Phrases.Contains(key[1..]));
    }
}
