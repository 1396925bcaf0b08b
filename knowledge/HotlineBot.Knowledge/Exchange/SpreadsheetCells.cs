using System.Text;
using HotlineBot.Knowledge.Entries;

namespace HotlineBot.Knowledge.Exchange;

/// <summary>
/// How lists and formulas are written in CSV cells so that an admin can edit them in a spreadsheet and
/// every value still comes back exactly. A list is one item per line of its cell; a source is the line
/// <c>title|article</c> (just <c>title</c> without an article). Inside an item, <c>\</c>, a line break
/// and (in sources) <c>|</c> are written <c>\\</c>, <c>\n</c> (<c>\r</c>) and <c>\|</c>.
/// </summary>
internal static class SpreadsheetCells
{
    /// <summary>OWASP's formula starters: a spreadsheet runs a cell that begins with one as a formula.</summary>
    private const string FormulaStarts = "=+-@\t\r";

    /// <summary>
    /// A cell a spreadsheet would run as a formula gets a leading apostrophe. So that
    /// <see cref="Unprotect"/> can tell added apostrophes from written ones, a value that already
    /// starts with apostrophes before such a character gets one more.
    /// </summary>
    public static string Protect(string cell) => LooksLikeFormula(cell) ? "'" + cell : cell;

    /// <summary>Takes off exactly the apostrophe <see cref="Protect"/> added, and nothing else.</summary>
    public static string Unprotect(string cell) => cell.StartsWith('\'') && LooksLikeFormula(cell[1..]) ? cell[1..] : cell;

    public static string JoinItems(IEnumerable<string> items) => string.Join('\n', items.Select(item => Escape(item, pipe: false)));

    public static string JoinSources(IEnumerable<EntrySource> sources) =>
        string.Join('\n', sources.Select(s => s.Article is null ? Escape(s.Title, pipe: true) : $"{Escape(s.Title, pipe: true)}|{Escape(s.Article, pipe: true)}"));

    /// <summary>The items of a list cell; blank lines are skipped.</summary>
    public static List<RawNode> SplitItems(CsvCell cell) =>
        [.. Lines(cell).Select(line => new RawText(Unescape(line.Text), line.Line))];

    /// <summary>The sources of a sources cell, split at the first <c>|</c> that is not escaped.</summary>
    public static List<RawNode> SplitSources(CsvCell cell)
    {
        var sources = new List<RawNode>();
        foreach (var (text, line) in Lines(cell))
        {
            var bar = UnescapedBar(text);
            var fields = new List<KeyValuePair<string, RawNode>>
            {
                KeyValuePair.Create<string, RawNode>("title", new RawText(Unescape(bar < 0 ? text : text[..bar]), line)),
            };
            if (bar >= 0)
            {
                fields.Add(KeyValuePair.Create<string, RawNode>("article", new RawText(Unescape(text[(bar + 1)..]), line)));
            }

            sources.Add(new RawMap(fields, line));
        }

        return sources;
    }

    private static bool LooksLikeFormula(string cell)
    {
        var rest = cell.AsSpan().TrimStart('\'');
        return rest.Length > 0 && FormulaStarts.Contains(rest[0], StringComparison.Ordinal);
    }

    private static IEnumerable<(string Text, long Line)> Lines(CsvCell cell)
    {
        var lines = cell.Value.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (!string.IsNullOrWhiteSpace(lines[i]))
            {
                yield return (lines[i], cell.Line + i);
            }
        }
    }

    private static string Escape(string item, bool pipe)
    {
        var text = new StringBuilder(item.Length);
        foreach (var c in item)
        {
            text.Append(c switch
            {
                '\\' => @"\\",
                '\n' => @"\n",
                '\r' => @"\r",
                '|' when pipe => @"\|",
                _ => c.ToString(),
            });
        }

        return text.ToString();
    }

    /// <summary>Reverses <see cref="Escape"/>; a backslash before anything else is kept as typed.</summary>
    private static string Unescape(string item)
    {
        var text = new StringBuilder(item.Length);
        for (var i = 0; i < item.Length; i++)
        {
            var next = i + 1 < item.Length ? item[i + 1] : '\0';
            if (item[i] == '\\' && next is '\\' or 'n' or 'r' or '|')
            {
                text.Append(next switch { 'n' => '\n', 'r' => '\r', _ => next });
                i++;
            }
            else
            {
                text.Append(item[i]);
            }
        }

        return text.ToString();
    }

    private static int UnescapedBar(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == '|')
            {
                return i;
            }
        }

        return -1;
    }
}
