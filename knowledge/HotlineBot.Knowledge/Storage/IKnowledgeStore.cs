using HotlineBot.Knowledge.Entries;

namespace HotlineBot.Knowledge.Storage;

/// <summary>
/// The admins' store of policy entries. Every change writes a new, immutable version naming who made
/// it and which fields changed; the entry's current version is what search and the API see.
/// Implementations are thread-safe and pass the shared store contract tests.
/// </summary>
public interface IKnowledgeStore
{
    /// <summary>Entries matching the query, in id order, one page of them with the total that matched.</summary>
    Task<KnowledgePage<PolicyEntry>> ListAsync(KnowledgeQuery query, CancellationToken cancellationToken = default);

    /// <summary>The current version of the entry, retired ones included; null when there is none.</summary>
    Task<PolicyEntry?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a new entry as version 1. An empty <see cref="PolicyEntry.Id"/> gets a readable id from
    /// the category and a counter (<c>wages-3</c>).
    /// </summary>
    /// <exception cref="KnowledgeValidationException">The entry breaks <see cref="EntryRules"/>.</exception>
    /// <exception cref="KnowledgeEntryExistsException">An entry with that id exists (retired ones too).</exception>
    Task<PolicyEntry> CreateAsync(PolicyEntry entry, string author, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the entry's fields with <paramref name="entry"/>'s as a new version, if the stored version is
    /// still <paramref name="expectedVersion"/>. When no field differs, the current entry comes back unchanged.
    /// </summary>
    /// <exception cref="KnowledgeConcurrencyException">The entry changed since that version was read; nothing is written.</exception>
    /// <exception cref="KnowledgeEntryNotFoundException">No entry has that id.</exception>
    /// <exception cref="KnowledgeValidationException">The entry breaks <see cref="EntryRules"/>.</exception>
    Task<PolicyEntry> UpdateAsync(PolicyEntry entry, int expectedVersion, string author, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks the entry retired as a new version: it stays, with its history, but is no longer answered.
    /// Retiring a retired entry changes nothing. A null <paramref name="expectedVersion"/> retires whatever is current.
    /// </summary>
    /// <exception cref="KnowledgeConcurrencyException">The entry changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="KnowledgeEntryNotFoundException">No entry has that id.</exception>
    Task<PolicyEntry> RetireAsync(string id, int? expectedVersion, string author, CancellationToken cancellationToken = default);

    /// <summary>Every version of the entry, oldest first; empty when there is no such entry.</summary>
    Task<IReadOnlyList<EntryRevision>> HistoryAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Who changed what across the store, newest first.</summary>
    Task<KnowledgePage<EntryRevision>> AuditAsync(AuditQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Fills an empty store with the seed entries in one transaction, each as version 1 of the entry.
    /// A store that holds any entry is left alone (admins' edits are never overwritten): returns 0 then.
    /// </summary>
    Task<int> SeedAsync(IEnumerable<PolicyEntry> entries, string author, CancellationToken cancellationToken = default);
}
