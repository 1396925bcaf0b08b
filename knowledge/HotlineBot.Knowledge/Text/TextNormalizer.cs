using System.Text;

namespace HotlineBot.Knowledge.Text;

/// <summary>
/// Brings what a worker types to one canonical form: width folding (NFKC), lower case, traditional
/// characters to simplified, punctuation, symbols and emoji to a single space, and runs of three or
/// more of the same character ("啊啊啊啊", "！！！") to one.
/// </summary>
public static class TextNormalizer
{
    /// <summary>Characters kept inside ASCII tokens: "n+1", "300%", "0.5".</summary>
    private const string TokenSymbols = "+%.";

    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var folded = text.Normalize(NormalizationForm.FormKC);
        var simplified = CharacterTables.Simplified;
        var mapped = new StringBuilder(folded.Length);
        foreach (var raw in folded)
        {
            var c = char.ToLowerInvariant(raw);
            if (!IsKept(c))
            {
                if (mapped.Length > 0 && mapped[^1] != ' ')
                {
                    mapped.Append(' ');
                }

                continue;
            }

            mapped.Append(simplified.TryGetValue(c, out var s) ? s : c);
        }

        return CollapseRuns(mapped).Trim();
    }

    public static bool IsHan(char c) =>
        c is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3400' and <= '\u4DBF') or (>= '\uF900' and <= '\uFAFF');

    private static bool IsKept(char c) =>
        IsHan(c) || char.IsAsciiLetterOrDigit(c) || TokenSymbols.Contains(c, StringComparison.Ordinal);

    /// <summary>Runs of three or more of one character become one; doubled words (谢谢) and digits stay.</summary>
    private static string CollapseRuns(StringBuilder text)
    {
        var result = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var end = i;
            while (end < text.Length && text[end] == c)
            {
                end++;
            }

            var length = end - i;
            result.Append(c, length > 2 && !char.IsAsciiDigit(c) ? 1 : length);
            i = end;
        }

        return result.ToString();
    }
}
