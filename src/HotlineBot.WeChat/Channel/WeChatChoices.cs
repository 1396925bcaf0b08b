using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace HotlineBot.WeChat.Channel;

/// <summary>
/// WeChat text has no buttons: the choices of the last reply are listed with numbers (<see cref="WeChatText.Render"/>)
/// and a worker answers with a number. This reads that number the ways people type it on a phone.
/// </summary>
public static partial class WeChatChoices
{
    private const string ChineseDigits = "零一二三四五六七八九";

    /// <summary>
    /// The choice a worker's reply picks: "1", " 2 ", "２" (full-width), "2." / "2、", "一".."十", "第2个"/"第二个" →
    /// choices[n-1]; null when it is not a number in 1..choices.Count (then the text is handled as typed).
    /// </summary>
    public static string? Pick(string? text, IReadOnlyList<string> choices)
    {
        ArgumentNullException.ThrowIfNull(choices);
        if (string.IsNullOrWhiteSpace(text) || choices.Count == 0)
        {
            return null;
        }

        // NFKC turns full-width digits and punctuation (２, ．) into ASCII.
        var match = NumberPattern().Match(text.Normalize(NormalizationForm.FormKC).Trim());
        if (!match.Success)
        {
            return null;
        }

        var number = match.Groups["digits"].Success
            ? int.Parse(match.Groups["digits"].Value, CultureInfo.InvariantCulture)
            : ChineseNumber(match.Groups["chinese"].Value);
        return number >= 1 && number <= choices.Count ? choices[number - 1] : null;
    }

    /// <summary>一..九十九 (十, 十二, 二十, 二十三), as the pattern lets through.</summary>
    private static int ChineseNumber(string text)
    {
        int Digit(char c) => ChineseDigits.IndexOf(c, StringComparison.Ordinal);

        var ten = text.IndexOf('十', StringComparison.Ordinal);
        if (ten < 0)
        {
            return Digit(text[0]);
        }

        var tens = ten == 0 ? 1 : Digit(text[0]);
        var ones = ten == text.Length - 1 ? 0 : Digit(text[^1]);
        return (tens * 10) + ones;
    }

    // A bare number with an optional closing mark ("2", "2.", "2、"), or 第…个 ("第2个", "第二个", "第二").
    [GeneratedRegex(@"^(?:第\s*(?:(?<digits>[0-9]{1,3})|(?<chinese>[一二三四五六七八九]|[一二三四五六七八九]?十[一二三四五六七八九]?))\s*(?:个|項|项|条)?|(?:(?<digits>[0-9]{1,3})|(?<chinese>[一二三四五六七八九]|[一二三四五六七八九]?十[一二三四五六七八九]?))\s*[.、,，。)）]?)$")]
    private static partial Regex NumberPattern();
}
