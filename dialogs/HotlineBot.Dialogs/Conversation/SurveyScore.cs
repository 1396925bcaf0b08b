using HotlineBot.Knowledge.Text;

namespace HotlineBot.Dialogs.Conversation;

/// <summary>
/// Reads the answer to the satisfaction question (1 很不满意 … 5 很满意). Strict, as the buttons' replies
/// are: the whole message must be a score — a digit or Chinese numeral 1–5, optionally with 分 / 星 / 颗星
/// ("5", "5分", "五星"), or one of the words the question names (很满意 … 很不满意) — so a question such as
/// "5天没发工资" is never taken for a rating.
/// </summary>
public static class SurveyScore
{
    public const int Min = 1;
    public const int Max = 5;

    private const string TrailingParticles = "了吧啊呀的哦";

    private static readonly Dictionary<string, int> Words = new(StringComparer.Ordinal)
    {
        ["非常满意"] = 5,
        ["很满意"] = 5,
        ["满意"] = 4,
        ["比较满意"] = 4,
        ["一般"] = 3,
        ["不太满意"] = 2,
        ["不满意"] = 2,
        ["很不满意"] = 1,
        ["非常不满意"] = 1,
    };

    private static readonly string[] Units = ["颗星", "星", "分"];

    /// <summary>The score 1–5 the whole message gives, or null when it is anything else.</summary>
    public static int? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var key = TextNormalizer.Normalize(text).Replace(" ", string.Empty, StringComparison.Ordinal).TrimEnd('.');
        var end = key.Length;
        while (end > 1 && TrailingParticles.Contains(key[end - 1], StringComparison.Ordinal))
        {
            end--;
        }

        key = key[..end];
        if (Words.TryGetValue(key, out var word))
        {
            return word;
        }

        foreach (var unit in Units)
        {
            if (key.Length > unit.Length && key.EndsWith(unit, StringComparison.Ordinal))
            {
                key = key[..^unit.Length];
                break;
            }
        }

        return key.Length == 1 ? Digit(key[0]) : null;
    }

    private static int? Digit(char c) => c switch
    {
        >= '1' and <= '5' => c - '0',
        '一' => 1,
        '二' or '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        _ => null,
    };
}
