using System.Text.Json;
using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Loading;

namespace HotlineBot.Knowledge.Exchange;

/// <summary>
/// Reads an import file (as <see cref="KnowledgeExport"/> writes it, or edited by hand) into entries,
/// without touching the store. Every format reads back exactly what was exported.
/// </summary>
/// <remarks>
/// <para>Formats: YAML is a list of entries in the seed file shape (<c>entries:</c> holding the list is also taken).
/// JSON is <c>{"entries": [...]}</c> or a plain array, comments and trailing commas allowed. CSV has a header row of
/// field names (any case, any order; question, answer and category are required columns, unknown ones are an
/// error) and one row per entry; blank rows are skipped. In its list cells every line is one item (blank lines
/// skipped) and a source is <c>title|article</c> or just <c>title</c>; inside an item <c>\\</c>, <c>\n</c>, <c>\r</c>
/// and <c>\|</c> stand for a backslash, line breaks and a bar. One leading apostrophe before a formula character
/// (<c>= + - @</c>, tab, CR, after any further apostrophes) is the export's formula guard and is taken off.
/// A leading byte order mark is ignored in every format.</para>
/// <para>Entries follow the admin API's rules, not the seed files': only question, answer and category are
/// required and alternates may be few. Values are trimmed with LF line breaks, and a blank value counts as
/// missing. Missing fields: id empty (the store generates one), region <c>national</c>, effectiveFrom
/// <c>today</c>, reviewBy a year after today (after effectiveFrom when that is later), status <c>draft</c> (an
/// import never publishes what it does not say is published), version 1. Unknown fields, a field given twice
/// and an id used twice in the file are errors.</para>
/// </remarks>
public static class KnowledgeImport
{
    private const string EmptyFile = "the file is empty";

    /// <summary>Reads the file; problems come back as <see cref="ImportFile.Errors"/>, never as exceptions.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="content"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="format"/> is not a defined format.</exception>
    public static ImportFile Read(string content, ExchangeFormat format, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!Enum.IsDefined(format))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown exchange format.");
        }

        if (content.StartsWith('\uFEFF'))
        {
            content = content[1..];
        }

        var file = new FileReader(EntryReadRules.Import(today));
        if (string.IsNullOrWhiteSpace(content))
        {
            file.Error(null, 1, EmptyFile);
        }
        else if (format == ExchangeFormat.Csv)
        {
            ReadCsv(content, file);
        }
        else if (ParseTree(content, format, file) is { } root)
        {
            ReadTree(root, file);
        }

        return file.Result();
    }

    private static RawNode? ParseTree(string content, ExchangeFormat format, FileReader file)
    {
        try
        {
            return format == ExchangeFormat.Json
                ? JsonTree.Parse(content)
                : new YamlNodes("import").ReadRoot(content) is { } root ? YamlNodes.ToRaw(root) : Empty(file);
        }
        catch (KnowledgeLoadException e)
        {
            file.Error(null, e.Line, e.Problem);
        }
        catch (JsonException e)
        {
            file.Error(null, e.LineNumber + 1, $"not valid JSON: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            // Utf8JsonReader's GetString reports a lone surrogate escape this way.
            file.Error(null, null, $"not valid JSON: {e.Message}");
        }

        return null;
    }

    /// <summary>YAML without a document (only comments, say) is as empty as a blank file.</summary>
    private static RawNode? Empty(FileReader file)
    {
        file.Error(null, 1, EmptyFile);
        return null;
    }

    /// <summary>YAML and JSON: a list of entries, or a mapping holding it as <c>entries</c>.</summary>
    private static void ReadTree(RawNode root, FileReader file)
    {
        var list = root as RawList ?? (root as RawMap)?.Get("entries") as RawList;
        if (list is null)
        {
            file.Error(null, root.Line, "the file must be a list of entries, or hold that list as 'entries'");
            return;
        }

        foreach (var item in list.Items)
        {
            file.Entry(item);
        }
    }

    private static void ReadCsv(string content, FileReader file)
    {
        var table = CsvText.Parse(content);
        if (table.Error is not null)
        {
            file.Error(null, table.ErrorLine, table.Error);
            return;
        }

        var header = table.Records[0];
        var columns = new string?[header.Count];
        for (var i = 0; i < header.Count; i++)
        {
            var name = SpreadsheetCells.Unprotect(header[i].Value).Trim();
            columns[i] = EntryReader.FieldNames.FirstOrDefault(field => string.Equals(field, name, StringComparison.OrdinalIgnoreCase));
            if (columns[i] is null)
            {
                file.Error(null, header[i].Line, $"unknown column '{name}'; the columns are {string.Join(", ", EntryReader.FieldNames)}");
            }
            else if (Array.IndexOf(columns, columns[i]) < i)
            {
                file.Error(null, header[i].Line, $"column '{columns[i]}' is given twice");
            }
        }

        foreach (var required in (string[])["question", "answer", "category"])
        {
            if (!columns.Contains(required))
            {
                file.Error(null, header[0].Line, $"the header row has no '{required}' column");
            }
        }

        if (file.HasErrors)
        {
            return;
        }

        foreach (var record in table.Records.Skip(1).Where(r => r.Any(cell => !string.IsNullOrWhiteSpace(cell.Value))))
        {
            var fields = new List<KeyValuePair<string, RawNode>>();
            for (var i = 0; i < record.Count; i++)
            {
                if (i >= columns.Length)
                {
                    // A cell past the header is reported as an unknown field unless it is blank.
                    if (!string.IsNullOrWhiteSpace(record[i].Value))
                    {
                        fields.Add(KeyValuePair.Create<string, RawNode>($"(column {i + 1}, which has no header)", new RawText(record[i].Value, record[i].Line)));
                    }

                    continue;
                }

                var cell = record[i] with { Value = SpreadsheetCells.Unprotect(record[i].Value) };
                RawNode node = columns[i] switch
                {
                    "alternates" or "tags" => new RawList(SpreadsheetCells.SplitItems(cell), cell.Line),
                    "sources" => new RawList(SpreadsheetCells.SplitSources(cell), cell.Line),
                    _ => new RawText(cell.Value, cell.Line),
                };
                fields.Add(KeyValuePair.Create(columns[i]!, node));
            }

            file.Entry(new RawMap(fields, record[0].Line));
        }
    }

    /// <summary>Collects entries and errors; knows each entry's position in the file.</summary>
    private sealed class FileReader(EntryReadRules rules)
    {
        private readonly List<PolicyEntry> _entries = [];
        private readonly List<ImportError> _errors = [];
        private readonly Dictionary<string, int> _firstIndex = new(StringComparer.Ordinal);
        private int _index;

        public bool HasErrors => _errors.Count > 0;

        public void Error(int? index, long? line, string message, string? id = null, string field = "") =>
            _errors.Add(new ImportError(index, id, field, line is > 0 ? line : null, message));

        public void Entry(RawNode node)
        {
            var index = _index++;
            if (node is not RawMap map)
            {
                Error(index, node.Line, "an entry must be a mapping of fields");
                return;
            }

            var id = map.Get("id") is RawText { Value: var text } && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;
            var (entry, problems) = EntryReader.Read(map, rules);
            foreach (var problem in problems)
            {
                Error(index, problem.Line, problem.Message, id, problem.Field);
            }

            if (entry is null || problems.Count > 0)
            {
                return;
            }

            if (entry.Id.Length > 0 && !_firstIndex.TryAdd(entry.Id, index))
            {
                Error(index, map.Get("id")?.Line, $"duplicate id '{entry.Id}' (first used by entries[{_firstIndex[entry.Id]}])", id, "id");
                return;
            }

            _entries.Add(entry);
        }

        public ImportFile Result() => new(_entries, _errors);
    }
}
