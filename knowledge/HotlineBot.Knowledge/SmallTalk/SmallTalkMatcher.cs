using HotlineBot.Knowledge.Text;

namespace HotlineBot.Knowledge.SmallTalk;

/// <summary>
/// Strict small-talk matching, run before the policy search: the whole message, normalized and
/// without trailing particles (啊, 呀, 哈 ...), must be one of an intent's patterns. "你好" is a
/// greeting; "你好，老板欠我工资" is not, and goes to the search.
/// </summary>
public sealed class SmallTalkMatcher
{
    private const string TrailingParticles = "啊呀呢吧哈啦嘛哦噢喔哟么的了";

    private readonly Dictionary<string, SmallTalkIntent> _byPattern = new(StringComparer.Ordinal);

    public SmallTalkMatcher(IEnumerable<SmallTalkIntent> intents)
    {
        ArgumentNullException.ThrowIfNull(intents);
        foreach (var intent in intents)
        {
            foreach (var pattern in intent.Patterns)
            {
                _byPattern.TryAdd(Key(pattern), intent);
            }
        }
    }

    /// <summary>The matched intent and a reply, or null when the message is not small talk.</summary>
    public SmallTalkMatch? Match(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var key = Key(message);
        if (key.Length == 0)
        {
            return null;
        }

        if (!_byPattern.TryGetValue(key, out var intent))
        {
            var trimmed = key.TrimEnd(TrailingParticles.ToCharArray());
            if (trimmed.Length == 0 || !_byPattern.TryGetValue(trimmed, out intent))
            {
                return null;
            }
        }

        // Stable per message, so a repeated greeting gets the same reply in tests and logs.
        var reply = intent.Replies[(int)((uint)StableHash(key) % (uint)intent.Replies.Count)];
        return new SmallTalkMatch(intent.Intent, reply);
    }

    private static string Key(string text) => TextNormalizer.Normalize(text).Replace(" ", string.Empty, StringComparison.Ordinal);

    private static int StableHash(string text)
    {
        var hash = 17;
        foreach (var c in text)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash;
    }
}

/// <summary>A small-talk intent and the reply to give.</summary>
public sealed record SmallTalkMatch(string Intent, string Reply);
