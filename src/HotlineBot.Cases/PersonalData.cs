using System.Text.RegularExpressions;

namespace HotlineBot.Cases;

/// <summary>
/// Masks personal numbers wherever text is shown, logged, stored in a transcript or exported:
/// mainland mobiles (13812348000 → 138****8000, also written with spaces, dashes or +86),
/// hyphenated landlines (010-12345678 → 010-****5678), resident ID numbers (18 characters → first
/// 6 + ******** + last 4) and bank card numbers (16–19 digits → first 4 + **** + last 4).
/// </summary>
public static partial class PersonalData
{
    // Resident ID: area code, birth date 18xx-20xx, sequence, check digit (digit or X).
    [GeneratedRegex(@"(?<![0-9A-Za-z])(\d{6})(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])")]
    private static partial Regex IdNumber();

    [GeneratedRegex(@"(?<!\d)\d{16,19}(?!\d)")]
    private static partial Regex BankCard();

    // Mobile: 1[3-9]x xxxx xxxx, with optional +86/86 prefix and single space or dash separators (3-4-4).
    [GeneratedRegex(@"(?<![\d+])((?:\+|00)?86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")]
    private static partial Regex Mobile();

    [GeneratedRegex(@"(?<![0-9])0[1-9][0-9]{1,2}-[0-9]{7,8}(?![0-9])")]
    private static partial Regex Landline();

    /// <summary>The text with every phone, ID and bank card number masked; other text unchanged.</summary>
    public static string Mask(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var masked = IdNumber().Replace(text, m => m.Groups[1].Value + "********" + m.Value[^4..]);
        masked = BankCard().Replace(masked, m => m.Value[..4] + "****" + m.Value[^4..]);
        masked = Mobile().Replace(masked, m => m.Groups[1].Value + m.Groups[2].Value + "****" + m.Groups[4].Value);
        return Landline().Replace(masked, m => PhoneNumbers.Mask(m.Value)!);
    }
}
