using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Search;
using HotlineBot.Knowledge.Storage;

namespace HotlineBot.Knowledge.Publishing;

/// <summary>
/// Keeps a search in step with the store: loads every entry once, then, for each change notice,
/// reads just the entries it names and applies them to the index incrementally. It remembers the
/// version of every entry it applied, so applying is idempotent (a notice handled twice, or late,
/// never puts an older version back), and <see cref="CatchUpAsync"/> can find versions whose notice
/// never arrived.
/// </summary>
public sealed class SearchSynchronizer : IDisposable
{
    private readonly PolicySearch _search;
    private readonly IKnowledgeStore _store;
    private readonly IDisposable _subscription;
    private readonly Lock _lock = new();
    private Dictionary<string, int> _applied = new(StringComparer.Ordinal);
    private int _auditSeen;

    public SearchSynchronizer(PolicySearch search, IKnowledgeStore store, IKnowledgeNotices notices)
    {
        _search = search ?? throw new ArgumentNullException(nameof(search));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        ArgumentNullException.ThrowIfNull(notices);
        _subscription = notices.Subscribe(ApplyAsync);
    }

    /// <summary>Replaces the search's entries with every entry of the store.</summary>
    public async Task LoadAllAsync(CancellationToken cancellationToken)
    {
        // Counted before reading: a version written in between is looked at again by the next catch-up.
        var audited = await AuditTotalAsync(cancellationToken).ConfigureAwait(false);
        var entries = await ReadAllAsync(_store, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            _search.Load(entries);
            _applied = entries.ToDictionary(e => e.Id, e => e.Version, StringComparer.Ordinal);
            _auditSeen = Math.Max(_auditSeen, audited);
        }
    }

    /// <summary>
    /// Applies the versions written since the last look whose notice this search never handled (pub/sub
    /// drops what is sent while a subscriber is away, and a writer may stop between writing and telling):
    /// the store's audit says which versions are new, and those newer than the applied ones are read again.
    /// When more were written than one audit page holds, everything is reloaded. Returns how many entries
    /// were brought up to date (after a reload, how many are searchable).
    /// </summary>
    public async Task<int> CatchUpAsync(CancellationToken cancellationToken)
    {
        var newest = await _store.AuditAsync(new AuditQuery { PageSize = KnowledgeQuery.MaxPageSize }, cancellationToken).ConfigureAwait(false);
        int unseen;
        lock (_lock)
        {
            unseen = newest.Total - _auditSeen;
        }

        if (unseen == 0)
        {
            return 0;
        }

        // Fewer versions than seen means the store was replaced: nothing known can be trusted.
        if (unseen < 0 || unseen > newest.Items.Count)
        {
            lock (_lock)
            {
                _auditSeen = 0;
            }

            await LoadAllAsync(cancellationToken).ConfigureAwait(false);
            return _search.Entries.Count;
        }

        List<string> missed;
        lock (_lock)
        {
            missed = [.. newest.Items.Take(unseen)
                .Where(r => !_applied.TryGetValue(r.EntryId, out var version) || version < r.Version)
                .Select(r => r.EntryId)
                .Distinct(StringComparer.Ordinal)];
        }

        if (missed.Count > 0)
        {
            await ApplyAsync(new KnowledgeChange(missed), cancellationToken).ConfigureAwait(false);
        }

        lock (_lock)
        {
            _auditSeen = Math.Max(_auditSeen, newest.Total);
        }

        return missed.Count;
    }

    /// <summary>Every entry of the store, page by page.</summary>
    public static async Task<IReadOnlyList<PolicyEntry>> ReadAllAsync(IKnowledgeStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var entries = new List<PolicyEntry>();
        for (var page = 1; ; page++)
        {
            var result = await store.ListAsync(new KnowledgeQuery { Page = page, PageSize = KnowledgeQuery.MaxPageSize }, cancellationToken).ConfigureAwait(false);
            entries.AddRange(result.Items);
            if (result.Items.Count < KnowledgeQuery.MaxPageSize || entries.Count >= result.Total)
            {
                return entries;
            }
        }
    }

    public void Dispose() => _subscription.Dispose();

    private async Task ApplyAsync(KnowledgeChange change, CancellationToken cancellationToken)
    {
        var changed = new List<PolicyEntry>(change.EntryIds.Count);
        foreach (var id in change.EntryIds.Distinct(StringComparer.Ordinal))
        {
            if (await _store.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                changed.Add(entry);
            }
        }

        lock (_lock)
        {
            // Only what is newer than the applied version: a late or repeated notice changes nothing.
            var newer = changed.Where(e => !_applied.TryGetValue(e.Id, out var version) || version < e.Version).ToList();
            _search.Apply(newer);
            foreach (var entry in newer)
            {
                _applied[entry.Id] = entry.Version;
            }
        }
    }

    private async Task<int> AuditTotalAsync(CancellationToken cancellationToken) =>
        (await _store.AuditAsync(new AuditQuery { PageSize = 1 }, cancellationToken).ConfigureAwait(false)).Total;
}
