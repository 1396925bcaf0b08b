using System.Globalization;
using System.Text.Json;
using HotlineBot.Knowledge.Entries;

namespace HotlineBot.Knowledge.Storage;

/// <summary>
/// The rules every <see cref="IKnowledgeStore"/> applies the same way, whatever holds the versions:
/// validation, generated ids, what the next version of an entry is, and the stored JSON shapes.
/// </summary>
internal static class KnowledgeVersioning
{
    /// <summary>Stands in for an id the store has yet to generate, so the other rules are checked before a number is taken.</summary>
    private const string PendingId = "pending";

    public static void Validate(PolicyEntry entry)
    {
        var problems = EntryRules.Problems(entry);
        if (problems.Count > 0)
        {
            throw new KnowledgeValidationException(problems);
        }
    }

    /// <summary>Checks a new entry before its id is known; true when the store is to generate the id.</summary>
    public static bool ValidateNew(PolicyEntry entry, string author)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrWhiteSpace(author);
        var generateId = string.IsNullOrEmpty(entry.Id);
        Validate(generateId ? entry with { Id = PendingId } : entry);
        return generateId;
    }

    /// <summary>Checks an update's entry before the stored one is read.</summary>
    public static void ValidateUpdate(PolicyEntry entry, int expectedVersion, string author)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(entry.Id, nameof(entry));
        ArgumentException.ThrowIfNullOrWhiteSpace(author);
        Validate(entry with { Version = Math.Max(1, expectedVersion) });
    }

    /// <summary>The seeds as version 1 of each entry, checked, refusing an id given twice.</summary>
    public static List<PolicyEntry> PrepareSeeds(IEnumerable<PolicyEntry> entries, string author)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentException.ThrowIfNullOrWhiteSpace(author);
        var seeds = entries.Select(e => e with { Version = 1 }).ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var seed in seeds)
        {
            Validate(seed);
            if (!seen.Add(seed.Id))
            {
                throw new KnowledgeEntryExistsException(seed.Id);
            }
        }

        return seeds;
    }

    /// <summary>The <paramref name="number"/>th generated id of a category: <c>wages-3</c>.</summary>
    public static string GeneratedId(string category, long number) =>
        string.Create(CultureInfo.InvariantCulture, $"{category}-{number}");

    /// <summary>
    /// The version an update writes over <paramref name="current"/>, or null when no field differs (a save that
    /// changes nothing writes no version, so history and the audit hold only real changes).
    /// </summary>
    /// <exception cref="KnowledgeConcurrencyException">The stored version is not <paramref name="expectedVersion"/>.</exception>
    public static (PolicyEntry Next, RevisionKind Kind)? NextForUpdate(PolicyEntry current, PolicyEntry entry, int expectedVersion)
    {
        if (current.Version != expectedVersion)
        {
            throw new KnowledgeConcurrencyException(entry.Id, expectedVersion, current.Version);
        }

        if (EntryDiff.Between(current, entry).Count == 0)
        {
            return null;
        }

        var next = entry with { Version = current.Version + 1 };
        var kind = next.Status == EntryStatus.Retired && current.Status != EntryStatus.Retired ? RevisionKind.Retired : RevisionKind.Updated;
        return (next, kind);
    }

    /// <summary>The retired version over <paramref name="current"/>, or null when it is retired already.</summary>
    /// <exception cref="KnowledgeConcurrencyException">An expected version was given and is not the stored one.</exception>
    public static PolicyEntry? NextForRetire(PolicyEntry current, int? expectedVersion)
    {
        if (expectedVersion is { } expected && current.Version != expected)
        {
            throw new KnowledgeConcurrencyException(current.Id, expected, current.Version);
        }

        return current.Status == EntryStatus.Retired ? null : current with { Status = EntryStatus.Retired, Version = current.Version + 1 };
    }

    /// <summary>What a text filter is matched against: the question and alternates, upper-cased, one per line.</summary>
    public static string SearchText(PolicyEntry entry) => string.Join('\n', entry.Phrasings()).ToUpperInvariant();

    /// <summary>The text filter as matched against <see cref="SearchText"/>; null when there is none.</summary>
    public static string? SearchNeedle(KnowledgeQuery query) =>
        string.IsNullOrWhiteSpace(query.Text) ? null : query.Text.Trim().ToUpperInvariant();

    public static string StatusText(EntryStatus status) => JsonNamingPolicy.CamelCase.ConvertName(status.ToString());

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, EntryDiff.JsonOptions);

    public static PolicyEntry DeserializeEntry(string document) =>
        JsonSerializer.Deserialize<PolicyEntry>(document, EntryDiff.JsonOptions)
        ?? throw new InvalidDataException("A stored entry document is null.");

    public static IReadOnlyList<FieldChange> DeserializeChanges(string changes) =>
        JsonSerializer.Deserialize<List<FieldChange>>(changes, EntryDiff.JsonOptions) ?? [];
}
