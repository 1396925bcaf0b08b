using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using HotlineBot.Knowledge.Entries;

namespace HotlineBot.Knowledge.Storage;

/// <summary>The field-by-field differences between two versions of an entry, named as in the entry schema.</summary>
public static class EntryDiff
{
    /// <summary>The entry's JSON shape (camelCase, lowercase statuses), as stored and as the API will show it.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        // Chinese text stays readable in stored documents and diffs; HTML-sensitive characters are still escaped.
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    private static readonly (string Field, Func<PolicyEntry, string> Value)[] Fields =
    [
        ("question", e => e.Question),
        ("alternates", e => Json(e.Alternates)),
        ("answer", e => e.Answer),
        ("category", e => e.Category),
        ("sources", e => Json(e.Sources)),
        ("tags", e => Json(e.Tags)),
        ("region", e => e.Region),
        ("effectiveFrom", e => Date(e.EffectiveFrom)),
        ("reviewBy", e => Date(e.ReviewBy)),
        ("status", e => JsonNamingPolicy.CamelCase.ConvertName(e.Status.ToString())),
    ];

    /// <summary>The fields that differ; against no previous version, every field with its new value.</summary>
    public static IReadOnlyList<FieldChange> Between(PolicyEntry? before, PolicyEntry after)
    {
        ArgumentNullException.ThrowIfNull(after);
        var changes = new List<FieldChange>();
        foreach (var (field, value) in Fields)
        {
            var old = before is null ? null : value(before);
            var current = value(after);
            if (!string.Equals(old, current, StringComparison.Ordinal))
            {
                changes.Add(new FieldChange(field, old, current));
            }
        }

        return changes;
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, JsonOptions);

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
