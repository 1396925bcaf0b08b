using System.Globalization;
using System.Text;

namespace HotlineBot.BotFramework.Dialogs;

/// <summary>How answers are compared: full-width folded to half-width, case and surrounding punctuation ignored.</summary>
internal static class PromptText
{
    public static string Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        var folded = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var runes = folded.EnumerateRunes().ToList();
        var start = 0;
        var end = runes.Count;
        while (start < end && IsNoise(runes[start]))
        {
            start++;
        }

        while (end > start && IsNoise(runes[end - 1]))
        {
            end--;
        }

        var builder = new StringBuilder();
        for (var i = start; i < end; i++)
        {
            builder.Append(runes[i].ToString());
        }

        return builder.ToString();
    }

    /// <summary>The text with every space, punctuation mark and symbol (emoji included) taken out.</summary>
    public static string Compact(string normalized)
    {
        var builder = new StringBuilder(normalized.Length);
        foreach (var rune in normalized.EnumerateRunes())
        {
            if (!IsNoise(rune))
            {
                builder.Append(rune.ToString());
            }
        }

        return builder.ToString();
    }

    /// <summary>Spaces, punctuation, symbols (emoji) and the variation selectors that trail emoji.</summary>
    private static bool IsNoise(Rune rune) =>
        Rune.IsWhiteSpace(rune) || Rune.IsPunctuation(rune) || Rune.IsSymbol(rune)
        || Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.Format or UnicodeCategory.EnclosingMark;
}

/// <summary>Finds the choice the user meant: its value, button title or synonym exactly, or its number.</summary>
internal static class ChoiceRecognizer
{
    private static readonly string[] NumberPrefixes = ["第", "选", "选择"];
    private static readonly string[] NumberSuffixes = ["个", "项", "条", "号", "种"];

    public static FoundChoice? Recognize(string? utterance, IList<Choice> choices)
    {
        var text = PromptText.Normalize(utterance);
        if (text.Length == 0 || choices.Count == 0)
        {
            return null;
        }

        for (var i = 0; i < choices.Count; i++)
        {
            var choice = choices[i];
            foreach (var candidate in Candidates(choice))
            {
                if (PromptText.Normalize(candidate) == text)
                {
                    return new FoundChoice { Value = choice.Value, Index = i, Score = 1f, Synonym = candidate };
                }
            }
        }

        if (Number(text) is { } number && number >= 1 && number <= choices.Count)
        {
            return new FoundChoice { Value = choices[number - 1].Value, Index = number - 1, Score = 1f, Synonym = utterance?.Trim() };
        }

        return null;
    }

    private static IEnumerable<string> Candidates(Choice choice)
    {
        yield return choice.Value;
        if (choice.Action?.Title is { Length: > 0 } title)
        {
            yield return title;
        }

        foreach (var synonym in choice.Synonyms ?? [])
        {
            if (!string.IsNullOrWhiteSpace(synonym))
            {
                yield return synonym;
            }
        }
    }

    /// <summary>"2", "第2个", "二", "第二项": the number the user typed, or null.</summary>
    private static int? Number(string text)
    {
        var compact = PromptText.Compact(text);
        foreach (var prefix in NumberPrefixes.OrderByDescending(p => p.Length))
        {
            if (compact.StartsWith(prefix, StringComparison.Ordinal) && compact.Length > prefix.Length)
            {
                compact = compact[prefix.Length..];
                break;
            }
        }

        foreach (var suffix in NumberSuffixes)
        {
            if (compact.EndsWith(suffix, StringComparison.Ordinal) && compact.Length > suffix.Length)
            {
                compact = compact[..^suffix.Length];
                break;
            }
        }

        if (compact.Length is > 0 and <= 3 && int.TryParse(compact, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        return ChineseNumber(compact);
    }

    /// <summary>一 to 二十 (and 两): enough for any list a prompt offers.</summary>
    private static int? ChineseNumber(string text)
    {
        static int? Digit(char c) => "零一二三四五六七八九".IndexOf(c, StringComparison.Ordinal) is var d and >= 0 ? d : c == '两' ? 2 : null;

        return text.Length switch
        {
            1 when text[0] == '十' => 10,
            1 => Digit(text[0]) is { } d and > 0 ? d : null,
            2 when text[0] == '十' => Digit(text[1]) is { } d and > 0 ? 10 + d : null,
            2 when text[1] == '十' => Digit(text[0]) is { } d and > 1 ? d * 10 : null,
            _ => null,
        };
    }
}

/// <summary>Yes or no, in colloquial Chinese or English; null when the words are neither.</summary>
internal static class ConfirmRecognizer
{
    private static readonly HashSet<string> Yes = new(StringComparer.Ordinal)
    {
        "是", "好", "对", "可以", "行", "嗯", "恩", "要", "需要", "确认", "确定", "同意", "没问题", "当然", "好啊", "可", "中", "成",
        "yes", "y", "yeah", "yep", "yup", "ok", "okay", "sure", "true", "👍", "👌",
    };

    private static readonly HashSet<string> No = new(StringComparer.Ordinal)
    {
        "否", "不", "不用", "不要", "算了", "不是", "不行", "不对", "不可以", "不需要", "不必", "没有", "不了", "别", "取消",
        "no", "n", "nope", "nah", "false",
    };

    /// <summary>Particles that colour a yes or no without changing it: 好的, 是啊, 不用了, 行吧.</summary>
    private const string TrailingParticles = "的了吧啊呀哦喔呢哈嘛啦滴哒";

    /// <summary>Fillers before the answer: 嗯，好的 / 哦 可以.</summary>
    private const string LeadingFillers = "嗯恩哦噢喔额呃";

    private static readonly string[] Negations = ["不", "没", "别"];

    public static bool? Recognize(string? utterance)
    {
        // Emoji are symbols that normalizing drops: look for them (and any exact word) first.
        if (utterance?.Trim() is { Length: > 0 } trimmed && Lookup(trimmed.ToLowerInvariant()) is { } direct)
        {
            return direct;
        }

        var normalized = PromptText.Normalize(utterance);
        if (normalized.Length == 0)
        {
            return null;
        }

        var text = CollapseRepeats(PromptText.Compact(normalized));
        while (text.Length > 0)
        {
            if (Lookup(text) is { } found)
            {
                return found;
            }

            // 不是 / 不可以 / 没需要: a negated yes is a no.
            foreach (var negation in Negations)
            {
                if (text.StartsWith(negation, StringComparison.Ordinal) && text.Length > negation.Length
                    && Yes.Contains(StripParticles(text[negation.Length..])))
                {
                    return false;
                }
            }

            var shorter = StripParticles(text);
            if (shorter.Length > 1 && LeadingFillers.Contains(shorter[0], StringComparison.Ordinal))
            {
                shorter = shorter[1..];
            }

            if (shorter == text)
            {
                return null;
            }

            text = shorter;
        }

        return null;
    }

    private static bool? Lookup(string text) => Yes.Contains(text) ? true : No.Contains(text) ? false : null;

    private static string StripParticles(string text)
    {
        var end = text.Length;
        while (end > 1 && TrailingParticles.Contains(text[end - 1], StringComparison.Ordinal))
        {
            end--;
        }

        return text[..end];
    }

    /// <summary>嗯嗯 → 嗯, 好好好 → 好, yesss stays (only CJK repeats are folded).</summary>
    private static string CollapseRepeats(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (i > 0 && text[i] == text[i - 1] && text[i] > '\u2E7F')
            {
                continue;
            }

            builder.Append(text[i]);
        }

        return builder.ToString();
    }
}
