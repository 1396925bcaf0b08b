using System.Text;

namespace HotlineBot.Knowledge.Exchange;

/// <summary>One CSV cell and the line it starts on.</summary>
internal sealed record CsvCell(string Value, long Line);

/// <summary>The records of a CSV text, or the first place where its quoting is broken.</summary>
internal sealed record CsvTable(IReadOnlyList<IReadOnlyList<CsvCell>> Records, long ErrorLine = 0, string? Error = null);

/// <summary>
/// RFC 4180 CSV: cells holding a comma, quote or line break are quoted, quotes doubled, records end
/// with CRLF. Reading also takes LF or CR record ends and a bare quote inside an unquoted cell.
/// </summary>
internal static class CsvText
{
    public static string Write(IEnumerable<IEnumerable<string>> records)
    {
        var text = new StringBuilder();
        foreach (var record in records)
        {
            var first = true;
            foreach (var cell in record)
            {
                text.Append(first ? string.Empty : ",");
                first = false;
                // Edge spaces are quoted too, so no spreadsheet trims them away.
                if (cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (cell.Length > 0 && (char.IsWhiteSpace(cell[0]) || char.IsWhiteSpace(cell[^1]))))
                {
                    text.Append('"').Append(cell.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
                }
                else
                {
                    text.Append(cell);
                }
            }

            text.Append("\r\n");
        }

        return text.ToString();
    }

    public static CsvTable Parse(string text)
    {
        var records = new List<IReadOnlyList<CsvCell>>();
        var record = new List<CsvCell>();
        var cell = new StringBuilder();
        long line = 1;
        var i = 0;
        while (i < text.Length)
        {
            var cellLine = line;
            cell.Clear();
            if (text[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        return new CsvTable(records, cellLine, "a quoted cell is never closed");
                    }

                    var c = text[i++];
                    if (c == '"')
                    {
                        if (i < text.Length && text[i] == '"')
                        {
                            cell.Append('"');
                            i++;
                            continue;
                        }

                        break;
                    }

                    line += IsLineBreak(text, i - 1) ? 1 : 0;
                    cell.Append(c);
                }

                if (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                {
                    return new CsvTable(records, line, "text follows the closing quote of a cell; write a quote inside a quoted cell as two quotes");
                }
            }
            else
            {
                while (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                {
                    cell.Append(text[i++]);
                }
            }

            record.Add(new CsvCell(cell.ToString(), cellLine));
            if (i < text.Length && text[i] == ',')
            {
                i++;
                if (i == text.Length)
                {
                    record.Add(new CsvCell(string.Empty, line));
                }

                continue;
            }

            // End of the record: CRLF, LF, CR or the end of the text.
            i += i + 1 < text.Length && text[i] == '\r' && text[i + 1] == '\n' ? 2 : i < text.Length ? 1 : 0;
            line++;
            records.Add(record);
            record = [];
        }

        if (record.Count > 0)
        {
            records.Add(record);
        }

        return new CsvTable(records);
    }

    /// <summary>Whether the character at <paramref name="index"/> ends a line (CR counts only when no LF follows).</summary>
    private static bool IsLineBreak(string text, int index) =>
        text[index] == '\n' || (text[index] == '\r' && (index + 1 >= text.Length || text[index + 1] != '\n'));
}
