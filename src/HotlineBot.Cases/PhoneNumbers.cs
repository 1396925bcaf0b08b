using System.Text;
using System.Text.RegularExpressions;

namespace HotlineBot.Cases;

/// <summary>
/// Mainland China callback numbers: mobiles (1[3-9] and 9 more digits, optionally after +86) and
/// landlines (an area code 0xx or 0xxx, then 7 or 8 digits, with or without a hyphen), and their
/// masked forms (138****8000, 010-****5678) for every view and export.
/// </summary>
public static partial class PhoneNumbers
{
    private const string MaskStars = "****";

    /// <summary>What kind of number a string holds.</summary>
    public static PhoneKind Classify(string? input)
    {
        var digits = Normalize(input);
        if (digits is null)
        {
            return PhoneKind.Invalid;
        }

        return digits[0] == '1' ? PhoneKind.Mobile : PhoneKind.Landline;
    }

    /// <summary>True for a mainland mobile or landline number.</summary>
    public static bool IsValid(string? input) => Normalize(input) is not null;

    /// <summary>
    /// The number in canonical form (13812348000, or 010-12345678 with the area code split off), or null
    /// when the input is not a valid mobile or landline. Spaces, hyphens, full-width digits and +86 are accepted.
    /// </summary>
    public static string? Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return null;
        }

        var text = input.Trim().Normalize(NormalizationForm.FormKC);
        var hyphen = text.IndexOfAny(['-', '－']);
        var compact = CompactRegex().Replace(text, string.Empty);
        if (compact.StartsWith("+86", StringComparison.Ordinal))
        {
            compact = compact[3..];
        }
        else if (compact.Length == 13 && compact.StartsWith("86", StringComparison.Ordinal))
        {
            compact = compact[2..];
        }

        if (MobileRegex().IsMatch(compact))
        {
            return compact;
        }

        if (!LandlineRegex().IsMatch(compact))
        {
            return null;
        }

        // Where the area code ends: as the worker wrote it, else 3 digits for 010 and 02x, 4 otherwise.
        var areaLength = hyphen is 3 or 4 && text[..hyphen].All(char.IsAsciiDigit)
            ? hyphen
            : compact[1] is '1' or '2' ? 3 : 4;
        var local = compact[areaLength..];
        return local.Length is 7 or 8 ? $"{compact[..areaLength]}-{local}" : null;
    }

    /// <summary>
    /// The number as every view shows it: a mobile keeps its first 3 and last 4 digits (138****8000), a
    /// landline its area code and last 4 (010-****5678); anything else keeps only its last 4 digits.
    /// </summary>
    public static string? Mask(string? input)
    {
        if (input is null)
        {
            return null;
        }

        var normalized = Normalize(input);
        if (normalized is not null && normalized[0] == '1')
        {
            return string.Concat(normalized.AsSpan(0, 3), MaskStars, normalized.AsSpan(7));
        }

        if (normalized is not null)
        {
            var hyphen = normalized.IndexOf('-', StringComparison.Ordinal);
            return string.Concat(normalized.AsSpan(0, hyphen + 1), MaskStars, normalized.AsSpan(normalized.Length - 4));
        }

        var digits = new string(input.Where(char.IsAsciiDigit).ToArray());
        return digits.Length > 4 ? MaskStars + digits[^4..] : MaskStars;
    }

    [GeneratedRegex(@"[\s\-－()（）]")]
    private static partial Regex CompactRegex();

    [GeneratedRegex(@"^1[3-9][0-9]{9}$")]
    private static partial Regex MobileRegex();

    [GeneratedRegex(@"^0[1-9][0-9]{8,10}$")]
    private static partial Regex LandlineRegex();
}

/// <summary>What <see cref="PhoneNumbers.Classify"/> found.</summary>
public enum PhoneKind
{
    Invalid,
    Mobile,
    Landline,
}
