using HotlineBot.Knowledge.Text;

namespace HotlineBot.Dialogs.Conversation;

/// <summary>
/// The emergency reply's "请工作人员回电" button, and the same wish typed (回电, 给我回电话 ...). Strict:
/// the whole message must be one of the phrases, give or take 请 and trailing particles.
/// </summary>
public static class CallbackRequest
{
    /// <summary>The button the emergency reply offers once an urgent case is open.</summary>
    public const string ButtonText = "请工作人员回电";

    private static readonly HashSet<string> Phrases = new(StringComparer.Ordinal)
    {
        "工作人员回电", "工作人员回电话", "工作人员给我回电", "工作人员给我回电话", "工作人员打电话给我", "工作人员给我打电话",
        "回电", "回电话", "要回电", "需要回电", "要回电话", "需要回电话", "给我回电", "给我回电话", "回个电话", "给我回个电话",
        "打电话给我", "给我打电话", "给我打个电话",
    };

    /// <summary>True when the whole message asks to be called back.</summary>
    public static bool IsRequest(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var key = TextNormalizer.Normalize(text).Replace(" ", string.Empty, StringComparison.Ordinal).TrimEnd('吧', '啊', '呀', '了');
        if (key.StartsWith('请'))
        {
            key = key[1..];
        }

        return Phrases.Contains(key);
    }
}
