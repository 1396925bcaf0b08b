using HotlineBot.Knowledge.Text;

namespace HotlineBot.Dialogs.Conversation;

/// <summary>
/// Recognizes a worker calling off what the bot is asking (取消, 算了, 不用了 ...). Strict, as the
/// buttons' replies are: the whole message must be one of the phrases, give or take a leading filler
/// (那算了, 嗯不用了) and trailing particles (算了吧, 不用了啊), so a question that merely contains
/// 取消 ("岗位取消了有补偿吗") still goes to the knowledge base.
/// </summary>
public static class CancelRequest
{
    private const string LeadingFillers = "那嗯恩哦噢额呃唉哎";
    private const string TrailingParticles = "了吧啊呀哦喔啦嘛呢";

    private static readonly HashSet<string> Phrases = new(StringComparer.Ordinal)
    {
        "取消", "算", "不用", "不要", "不需要", "不必", "不问", "不选", "不想问", "不想选", "退出", "结束", "停",
        "停止", "撤销", "放弃", "都不要", "不问这个", "算不问", "不用谢谢", "cancel", "stop", "quit", "exit",
    };

    /// <summary>True when the whole message calls off what is going on.</summary>
    public static bool IsRequest(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var key = TextNormalizer.Normalize(text).Replace(" ", string.Empty, StringComparison.Ordinal);
        if (key.Length > 1 && LeadingFillers.Contains(key[0], StringComparison.Ordinal))
        {
            key = key[1..];
        }

        // 算了 / 不用了 / 算了不问了: drop particles, and the 了 inside a two-part phrase.
        key = key.Replace("了", string.Empty, StringComparison.Ordinal);
        var end = key.Length;
        while (end > 1 && TrailingParticles.Contains(key[end - 1], StringComparison.Ordinal))
        {
            end--;
        }

        return Phrases.Contains(key[..end]);
    }
}
