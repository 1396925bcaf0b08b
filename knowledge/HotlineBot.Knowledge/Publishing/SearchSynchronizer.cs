using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Search;
using HotlineBot.Knowledge.Storage;

namespace HotlineBot.Knowledge.Publishing;

/// <summary>
/// Keeps a search in step with the store: loads every entry once, then, for each change notice,
/// reads just the entries it names and applies them to the index incrementally.
/// </summary>
public sealed class SearchSynchronizer : IDisposable
{
    private readonly PolicySearch _search;
    private readonly IKnowledgeStore _store;
    private readonly IDisposable _subscription;

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
        _search.Load(await ReadAllAsync(_store, cancellationToken).ConfigureAwait(false));
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

        _search.Apply(changed);
    }
}
