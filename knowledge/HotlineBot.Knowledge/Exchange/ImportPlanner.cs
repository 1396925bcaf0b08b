using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Storage;

namespace HotlineBot.Knowledge.Exchange;

/// <summary>What applying an imported entry would do.</summary>
public enum ImportAction
{
    /// <summary>No entry has the id (or the id is empty, so the store generates one).</summary>
    Create,

    /// <summary>Fields differ and the file was made from the current version: applying writes a new version.</summary>
    Update,

    /// <summary>No field differs (versions aside): nothing to write.</summary>
    Unchanged,

    /// <summary>
    /// Fields differ but the file carries another version than the store's: the entry changed since the file
    /// was made (an admin edited an entry a seed file still has at version 1). Never applied silently.
    /// </summary>
    Conflict,
}

/// <summary>One incoming entry, what applying it would do, and how it differs from the current entry.</summary>
/// <param name="Incoming">The entry as the file has it.</param>
/// <param name="Action">What applying it would do.</param>
/// <param name="Current">The stored entry with the same id; null for <see cref="ImportAction.Create"/>.</param>
/// <param name="Changes">
/// The fields that differ from <paramref name="Current"/> (<see cref="EntryDiff"/>); for a create, every field with its new value;
/// empty when unchanged.
/// </param>
public sealed record PlannedEntry(PolicyEntry Incoming, ImportAction Action, PolicyEntry? Current, IReadOnlyList<FieldChange> Changes);

/// <summary>The dry run of an import: one planned entry per incoming entry, in the file's order.</summary>
public sealed record ImportPlan(IReadOnlyList<PlannedEntry> Entries)
{
    public int Count(ImportAction action) => Entries.Count(e => e.Action == action);

    public bool HasConflicts => Entries.Any(e => e.Action == ImportAction.Conflict);
}

/// <summary>Classifies imported entries against the store's current ones, writing nothing.</summary>
public static class ImportPlanner
{
    /// <param name="incoming">The entries read from the file (<see cref="ImportFile.Entries"/>).</param>
    /// <param name="current">The store's current entries by id, retired ones included (their ids stay taken).</param>
    public static ImportPlan Plan(IReadOnlyList<PolicyEntry> incoming, IReadOnlyDictionary<string, PolicyEntry> current)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        ArgumentNullException.ThrowIfNull(current);
        return new ImportPlan([.. incoming.Select(entry => Classify(entry, current))]);
    }

    private static PlannedEntry Classify(PolicyEntry entry, IReadOnlyDictionary<string, PolicyEntry> current)
    {
        if (entry.Id.Length == 0 || !current.TryGetValue(entry.Id, out var stored))
        {
            return new PlannedEntry(entry, ImportAction.Create, null, EntryDiff.Between(null, entry));
        }

        var changes = EntryDiff.Between(stored, entry);
        var action = changes.Count == 0 ? ImportAction.Unchanged
            : entry.Version == stored.Version ? ImportAction.Update
            : ImportAction.Conflict;
        return new PlannedEntry(entry, action, stored, changes);
    }
}
