using System.Globalization;
using System.Text.RegularExpressions;
using HotlineBot.Knowledge.Entries;

namespace HotlineBot.Knowledge.Exchange;

/// <summary>How one entry is read: by the seed files' rules or by an import's.</summary>
internal sealed record EntryReadRules
{
    public int MinAlternates { get; init; }

    /// <summary>Seed files: the category the file holds, which entries default to and must match.</summary>
    public string? FileCategory { get; init; }

    /// <summary>Imports: the date that missing effectiveFrom and reviewBy count from; seed files require effectiveFrom.</summary>
    public DateOnly? Today { get; init; }

    /// <summary>Imports: an empty id asks the store to generate one.</summary>
    public bool IdOptional { get; init; }

    /// <summary>Imports: a misspelt field must not silently fall back to its default.</summary>
    public bool RejectUnknownFields { get; init; }

    public static EntryReadRules Seed(string fileCategory) => new() { MinAlternates = EntryRules.MinSeedAlternates, FileCategory = fileCategory };

    public static EntryReadRules Import(DateOnly today) => new() { Today = today, IdOptional = true, RejectUnknownFields = true };
}

/// <summary>One problem of an entry: the field as the schema names it (<c>sources[1].title</c>), its line and what is wrong.</summary>
internal sealed record FieldProblem(string Field, long Line, string Message);

/// <summary>
/// The entry, unless a field could not be read; <see cref="Problems"/> lists the unreadable fields, or
/// else the <see cref="EntryRules"/> the entry breaks. An entry is usable only without problems.
/// </summary>
internal sealed record EntryReadResult(PolicyEntry? Entry, IReadOnlyList<FieldProblem> Problems);

/// <summary>Applies the entry schema to a parsed entry: types, defaults and <see cref="EntryRules"/>.</summary>
internal static partial class EntryReader
{
    /// <summary>The schema's field names in the order files write them.</summary>
    public static IReadOnlyList<string> FieldNames { get; } =
        ["id", "question", "alternates", "answer", "category", "sources", "tags", "region", "effectiveFrom", "reviewBy", "status", "version"];

    [GeneratedRegex("'[^']*'")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\b(id|question|alternates|answer|category|sources|tags|region|effectiveFrom|reviewBy|status|version)\b")]
    private static partial Regex FieldName();

    public static EntryReadResult Read(RawMap map, EntryReadRules rules)
    {
        var fields = new Fields(map);
        fields.CheckKeys(rules.RejectUnknownFields);

        var category = fields.Text("category") ?? rules.FileCategory;
        if (rules.FileCategory is { } fileCategory && category != fileCategory)
        {
            fields.Problem("category", map, $"category '{category}' does not match the file, which holds category '{fileCategory}'");
        }

        var effectiveFrom = fields.Date("effectiveFrom") ?? (fields.Failed("effectiveFrom") ? null : rules.Today);
        if (effectiveFrom is null && !fields.Failed("effectiveFrom"))
        {
            fields.Problem("effectiveFrom", map, "'effectiveFrom' is required");
        }

        var status = fields.Status();
        var id = rules.IdOptional ? fields.Text("id") ?? string.Empty : fields.Required("id");
        var question = fields.Required("question");
        var alternates = fields.TextList("alternates");
        var answer = fields.Required("answer");
        if (category is null && !fields.Failed("category"))
        {
            fields.Problem("category", map, "'category' is required");
        }

        var sources = fields.Sources();
        var tags = fields.TextList("tags");
        var region = fields.Text("region") ?? PolicyEntry.NationalRegion;
        var reviewBy = fields.Date("reviewBy");
        var version = fields.Int("version") ?? 1;
        if (fields.Problems.Count > 0 || id is null || question is null || answer is null || category is null || effectiveFrom is not { } from)
        {
            return new EntryReadResult(null, fields.Problems);
        }

        var entry = new PolicyEntry
        {
            Id = id,
            Question = question,
            Alternates = alternates,
            Answer = answer,
            Category = category,
            Sources = sources,
            Tags = tags,
            Region = region,
            EffectiveFrom = from,
            // Counted from today only when the entry is already in force, so a future entry still reviews after it starts.
            ReviewBy = reviewBy ?? (rules.Today is { } today && today > from ? today : from).AddYears(1),
            Status = status ?? EntryStatus.Draft,
            Version = version,
        };
        foreach (var problem in EntryRules.Problems(entry, rules.MinAlternates))
        {
            var field = FieldOf(problem);
            if (!(field == "id" && entry.Id.Length == 0 && rules.IdOptional))
            {
                fields.Problem(field, map.Get(field) ?? map, problem);
            }
        }

        return new EntryReadResult(entry, fields.Problems);
    }

    /// <summary>The schema field a rule's message is about: the first field it names outside quoted values.</summary>
    private static string FieldOf(string problem) => FieldName().Match(Quoted().Replace(problem, string.Empty)) is { Success: true } match
        ? match.Value
        : string.Empty;

    /// <summary>Reads one entry's fields, recording each problem once per field.</summary>
    private sealed class Fields(RawMap map)
    {
        private readonly HashSet<string> _failed = new(StringComparer.Ordinal);

        public List<FieldProblem> Problems { get; } = [];

        public bool Failed(string field) => _failed.Contains(field);

        public void Problem(string field, RawNode node, string message)
        {
            _failed.Add(field);
            Problems.Add(new FieldProblem(field, node.Line, message));
        }

        public void CheckKeys(bool rejectUnknown)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (key, node) in map.Fields)
            {
                if (!seen.Add(key))
                {
                    Problem(key, node, $"'{key}' is given twice");
                }
                else if (rejectUnknown && !FieldNames.Contains(key, StringComparer.Ordinal))
                {
                    Problem(key, node, $"unknown field '{key}'; the fields are {string.Join(", ", FieldNames)}");
                }
            }
        }

        public string? Text(string key) => Text(map, key, key);

        public string? Required(string key) => Required(map, key, key);

        public List<string> TextList(string key)
        {
            var list = new List<string>();
            if (map.Get(key) is not { } node)
            {
                return list;
            }

            if (node is not RawList items)
            {
                Problem(key, node, $"'{key}' must be a list");
                return list;
            }

            for (var i = 0; i < items.Items.Count; i++)
            {
                if (items.Items[i] is RawText text && Clean(text.Value) is { } value)
                {
                    list.Add(value);
                }
                else
                {
                    Problem($"{key}[{i}]", items.Items[i], $"every item of '{key}' must be non-empty text");
                }
            }

            return list;
        }

        public List<EntrySource> Sources()
        {
            var sources = new List<EntrySource>();
            if (map.Get("sources") is not { } node)
            {
                return sources;
            }

            if (node is not RawList items)
            {
                Problem("sources", node, "'sources' must be a list");
                return sources;
            }

            for (var i = 0; i < items.Items.Count; i++)
            {
                var field = $"sources[{i}]";
                if (items.Items[i] is not RawMap source)
                {
                    Problem(field, items.Items[i], "a source must be a mapping of fields");
                    continue;
                }

                var title = Required(source, "title", field + ".title");
                var article = Text(source, "article", field + ".article");
                if (title is not null)
                {
                    sources.Add(new EntrySource(title, article));
                }
            }

            return sources;
        }

        public DateOnly? Date(string key)
        {
            var text = Text(key);
            if (text is null)
            {
                return null;
            }

            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }

            Problem(key, map.Get(key)!, $"'{key}' must be a date written YYYY-MM-DD, not '{text}'");
            return null;
        }

        public int? Int(string key)
        {
            var text = Text(key);
            if (text is null)
            {
                return null;
            }

            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            Problem(key, map.Get(key)!, $"'{key}' must be a whole number, not '{text}'");
            return null;
        }

        public EntryStatus? Status()
        {
            var text = Text("status");
            if (text is null)
            {
                return null;
            }

            // Names only: Enum.TryParse would also take numbers and comma-joined flags.
            if (Enum.TryParse<EntryStatus>(text, ignoreCase: true, out var status) && Enum.IsDefined(status) && !text.Contains(',', StringComparison.Ordinal)
                && !int.TryParse(text, out _))
            {
                return status;
            }

            Problem("status", map.Get("status")!, $"status must be draft, published or retired, not '{text}'");
            return null;
        }

        private string? Text(RawMap from, string key, string field)
        {
            if (from.Get(key) is not { } node)
            {
                return null;
            }

            if (node is not RawText text)
            {
                Problem(field, node, $"'{key}' must be text");
                return null;
            }

            return Clean(text.Value);
        }

        private string? Required(RawMap from, string key, string field)
        {
            var value = Text(from, key, field);
            if (value is null && !Failed(field))
            {
                Problem(field, from, $"'{key}' is required");
            }

            return value;
        }

        /// <summary>Values are trimmed and their line breaks are LF, as YAML reads them; blank means absent.</summary>
        private static string? Clean(string value) =>
            string.IsNullOrWhiteSpace(value) ? null : value.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Trim();
    }
}
