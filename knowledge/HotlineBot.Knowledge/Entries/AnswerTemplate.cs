using System.Text.RegularExpressions;

namespace HotlineBot.Knowledge.Entries;

/// <summary>
/// Fills <c>{{name}}</c> placeholders in an answer with values from configuration (the operators'
/// hours, say), so that the answer follows the configuration instead of repeating it. Unknown names
/// are left as written, so a missing value shows rather than disappears.
/// </summary>
public static partial class AnswerTemplate
{
    [GeneratedRegex(@"\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}")]
    private static partial Regex Placeholder();

    public static string Render(string answer, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(values);
        return Placeholder().Replace(answer, m => values.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);
    }
}
