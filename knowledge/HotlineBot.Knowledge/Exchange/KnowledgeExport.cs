using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Storage;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace HotlineBot.Knowledge.Exchange;

/// <summary>
/// Writes policy entries as a file an admin can edit and import again; <see cref="KnowledgeImport"/>
/// reads every format back to the same entries.
/// </summary>
public static class KnowledgeExport
{
    /// <summary>The entry JSON of the store and the API, indented, with absent articles left out.</summary>
    private static readonly JsonSerializerOptions JsonOptions = new(EntryDiff.JsonOptions)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// <list type="bullet">
    /// <item><see cref="ExchangeFormat.Yaml"/>: the seed file shape, a list of entries with every field; the entries of one
    /// category, saved as <c>seeds/knowledge/&lt;category&gt;.yaml</c>, load as seeds (which also want four alternates each).</item>
    /// <item><see cref="ExchangeFormat.Json"/>: <c>{"entries": [...]}</c> with the schema's camelCase names and lowercase statuses.</item>
    /// <item><see cref="ExchangeFormat.Csv"/>: RFC 4180 with a header row of the schema's names and one row per entry.
    /// It starts with a byte order mark so that spreadsheets read it as UTF-8. Lists are one item per line of
    /// their cell, sources one <c>title|article</c> line each (see the format notes on <see cref="KnowledgeImport"/>),
    /// and a cell that would start a formula (<c>= + - @</c>) gets a leading apostrophe, which import takes off.</item>
    /// </list>
    /// </summary>
    public static string Write(IEnumerable<PolicyEntry> entries, ExchangeFormat format)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return format switch
        {
            ExchangeFormat.Yaml => WriteYaml(entries),
            ExchangeFormat.Json => JsonSerializer.Serialize(new { entries }, JsonOptions) + "\n",
            ExchangeFormat.Csv => "\uFEFF" + CsvText.Write(
                entries.Select(CsvRow).Prepend(EntryReader.FieldNames).Select(row => row.Select(SpreadsheetCells.Protect))),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown exchange format."),
        };
    }

    private static IEnumerable<string> CsvRow(PolicyEntry entry) =>
    [
        entry.Id,
        entry.Question,
        SpreadsheetCells.JoinItems(entry.Alternates),
        entry.Answer,
        entry.Category,
        SpreadsheetCells.JoinSources(entry.Sources),
        SpreadsheetCells.JoinItems(entry.Tags),
        entry.Region,
        Date(entry.EffectiveFrom),
        Date(entry.ReviewBy),
        StatusName(entry.Status),
        entry.Version.ToString(CultureInfo.InvariantCulture),
    ];

    /// <summary>Each entry is its own block with a blank line before the next, as in the seed files.</summary>
    private static string WriteYaml(IEnumerable<PolicyEntry> entries)
    {
        var blocks = entries.Select(entry =>
        {
            var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
            var emitter = new Emitter(writer, EmitterSettings.Default.WithIndentedSequences());
            emitter.Emit(new StreamStart());
            emitter.Emit(new DocumentStart(null, null, isImplicit: true));
            emitter.Emit(new SequenceStart(null, null, isImplicit: true, SequenceStyle.Block));
            EmitEntry(emitter, entry);
            emitter.Emit(new SequenceEnd());
            emitter.Emit(new DocumentEnd(isImplicit: true));
            emitter.Emit(new StreamEnd());
            return writer.ToString();
        }).ToList();
        // An empty list still says it is one, so that reading it back is not an empty file.
        return blocks.Count == 0 ? "[]\n" : string.Join("\n", blocks);
    }

    private static void EmitEntry(Emitter emitter, PolicyEntry entry)
    {
        emitter.Emit(new MappingStart());
        Field(emitter, "id", entry.Id);
        Field(emitter, "question", entry.Question);
        List(emitter, "alternates", entry.Alternates, SequenceStyle.Block);
        // A literal block that keeps its final line break writes `answer: |` as the seed files do; reading trims it.
        Field(emitter, "answer", entry.Answer + "\n", ScalarStyle.Literal);
        Field(emitter, "category", entry.Category);
        Scalar(emitter, "sources");
        emitter.Emit(new SequenceStart(null, null, isImplicit: true, SequenceStyle.Block));
        foreach (var source in entry.Sources)
        {
            emitter.Emit(new MappingStart());
            Field(emitter, "title", source.Title);
            if (source.Article is not null)
            {
                Field(emitter, "article", source.Article);
            }

            emitter.Emit(new MappingEnd());
        }

        emitter.Emit(new SequenceEnd());
        List(emitter, "tags", entry.Tags, SequenceStyle.Flow);
        Field(emitter, "region", entry.Region);
        Field(emitter, "effectiveFrom", Date(entry.EffectiveFrom));
        Field(emitter, "reviewBy", Date(entry.ReviewBy));
        Field(emitter, "status", StatusName(entry.Status));
        Field(emitter, "version", entry.Version.ToString(CultureInfo.InvariantCulture));
        emitter.Emit(new MappingEnd());
    }

    private static void Field(Emitter emitter, string key, string value, ScalarStyle style = ScalarStyle.Any)
    {
        Scalar(emitter, key);
        Scalar(emitter, value, style);
    }

    private static void List(Emitter emitter, string key, IEnumerable<string> items, SequenceStyle style)
    {
        Scalar(emitter, key);
        emitter.Emit(new SequenceStart(null, null, isImplicit: true, style));
        foreach (var item in items)
        {
            Scalar(emitter, item);
        }

        emitter.Emit(new SequenceEnd());
    }

    private static void Scalar(Emitter emitter, string value, ScalarStyle style = ScalarStyle.Any) =>
        emitter.Emit(new Scalar(null, null, value, style, isPlainImplicit: true, isQuotedImplicit: true));

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string StatusName(EntryStatus status) => JsonNamingPolicy.CamelCase.ConvertName(status.ToString());
}
