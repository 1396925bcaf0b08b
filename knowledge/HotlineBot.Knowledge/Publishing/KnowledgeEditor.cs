using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Storage;

namespace HotlineBot.Knowledge.Publishing;

/// <summary>
/// Every admin change to the knowledge base goes through here: the publishing guard first (unless
/// forced), then the store's versioned write, then a change notice, so the edit is searchable when
/// the call returns (in process) and on every instance within a moment (scaled out).
/// </summary>
public sealed class KnowledgeEditor(IKnowledgeStore store, PublishingGuard guard, IKnowledgeNotices notices)
{
    /// <summary>Stands in for an id the store has yet to generate, while the guard previews a new entry.</summary>
    private const string PendingId = "pending-new-entry";

    public async Task<PolicyEntry> CreateAsync(PolicyEntry entry, string author, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await GuardAsync([string.IsNullOrEmpty(entry.Id) ? entry with { Id = PendingId } : entry], force, cancellationToken).ConfigureAwait(false);
        var created = await store.CreateAsync(entry, author, cancellationToken).ConfigureAwait(false);
        await NotifyAsync([created.Id], cancellationToken).ConfigureAwait(false);
        return created;
    }

    public async Task<PolicyEntry> UpdateAsync(PolicyEntry entry, int expectedVersion, string author, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await GuardAsync([entry], force, cancellationToken).ConfigureAwait(false);
        var updated = await store.UpdateAsync(entry, expectedVersion, author, cancellationToken).ConfigureAwait(false);
        await NotifyAsync([updated.Id], cancellationToken).ConfigureAwait(false);
        return updated;
    }

    /// <exception cref="KnowledgeEntryNotFoundException">No entry has that id.</exception>
    public async Task<PolicyEntry> RetireAsync(string id, int? expectedVersion, string author, bool force, CancellationToken cancellationToken)
    {
        var current = await store.GetAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new KnowledgeEntryNotFoundException(id);
        await GuardAsync([current with { Status = EntryStatus.Retired }], force, cancellationToken).ConfigureAwait(false);
        var retired = await store.RetireAsync(id, expectedVersion, author, cancellationToken).ConfigureAwait(false);
        await NotifyAsync([id], cancellationToken).ConfigureAwait(false);
        return retired;
    }

    /// <summary>Writes the fields of an earlier version as the newest one (history keeps every version in between).</summary>
    /// <exception cref="KnowledgeEntryNotFoundException">No entry has that id, or it has no such version.</exception>
    public async Task<PolicyEntry> RestoreAsync(string id, int version, int expectedVersion, string author, bool force, CancellationToken cancellationToken)
    {
        var history = await store.HistoryAsync(id, cancellationToken).ConfigureAwait(false);
        var old = history.FirstOrDefault(r => r.Version == version) ?? throw new KnowledgeEntryNotFoundException($"{id}@{version}");
        return await UpdateAsync(old.Entry, expectedVersion, author, force, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates and updates a batch (an import) under one guard run; each write is versioned on its own.
    /// Updates carry the version they were made from.
    /// </summary>
    public async Task<IReadOnlyList<PolicyEntry>> ApplyAsync(IReadOnlyList<PolicyEntry> creates, IReadOnlyList<PolicyEntry> updates, string author, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(creates);
        ArgumentNullException.ThrowIfNull(updates);
        var pending = 0;
        var preview = creates.Select(e => string.IsNullOrEmpty(e.Id) ? e with { Id = $"{PendingId}-{++pending}" } : e).Concat(updates).ToList();
        await GuardAsync(preview, force, cancellationToken).ConfigureAwait(false);
        var written = new List<PolicyEntry>(preview.Count);
        try
        {
            foreach (var entry in creates)
            {
                written.Add(await store.CreateAsync(entry, author, cancellationToken).ConfigureAwait(false));
            }

            foreach (var entry in updates)
            {
                written.Add(await store.UpdateAsync(entry, entry.Version, author, cancellationToken).ConfigureAwait(false));
            }
        }
        finally
        {
            // What was written is live even when a later write failed.
            await NotifyAsync([.. written.Select(e => e.Id)], CancellationToken.None).ConfigureAwait(false);
        }

        return written;
    }

    private async Task GuardAsync(IReadOnlyCollection<PolicyEntry> changed, bool force, CancellationToken cancellationToken)
    {
        if (force)
        {
            return;
        }

        var failures = await guard.NewFailuresAsync(changed, cancellationToken).ConfigureAwait(false);
        if (failures.Count > 0)
        {
            throw new PublishingRefusedException(failures);
        }
    }

    private Task NotifyAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken) =>
        ids.Count == 0 ? Task.CompletedTask : notices.PublishAsync(new KnowledgeChange(ids), cancellationToken);
}
