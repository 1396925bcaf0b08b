using System.Globalization;
using System.Text.Json;

namespace HotlineBot.BotFramework.State;

/// <summary>
/// Storage in process memory (as Bot Builder's MemoryStorage): for tests and a single instance
/// that may forget everything on restart. Thread-safe; ETag checks and writes happen under one lock.
/// </summary>
public sealed class MemoryStorage : IStorage
{
    private readonly Dictionary<string, (string Json, string ETag)> _items = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _eTag;

    public Task<IDictionary<string, StoreItem>> ReadAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        cancellationToken.ThrowIfCancellationRequested();
        var found = new Dictionary<string, StoreItem>(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var key in keys)
            {
                if (_items.TryGetValue(key, out var item))
                {
                    // Each reader gets its own copy: nothing it holds changes under it.
                    using var document = JsonDocument.Parse(item.Json);
                    found[key] = new StoreItem(document.RootElement.Clone(), item.ETag);
                }
            }
        }

        return Task.FromResult<IDictionary<string, StoreItem>>(found);
    }

    public Task WriteAsync(IDictionary<string, StoreItem> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        cancellationToken.ThrowIfCancellationRequested();
        var written = new List<KeyValuePair<string, StoreItem>>(changes.Count);
        lock (_lock)
        {
            foreach (var (key, item) in changes)
            {
                ArgumentNullException.ThrowIfNull(item, nameof(changes));
                if (!item.OverwritesAny && (!_items.TryGetValue(key, out var stored) || stored.ETag != item.ETag))
                {
                    throw new StorageConcurrencyException($"The item '{key}' changed since it was read (ETag {item.ETag}).");
                }
            }

            foreach (var (key, item) in changes)
            {
                var eTag = (++_eTag).ToString(CultureInfo.InvariantCulture);
                _items[key] = (item.Value.GetRawText(), eTag);
                written.Add(new(key, item with { ETag = eTag }));
            }
        }

        foreach (var (key, item) in written)
        {
            changes[key] = item;
        }

        return Task.CompletedTask;
    }

    public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            foreach (var key in keys)
            {
                _items.Remove(key);
            }
        }

        return Task.CompletedTask;
    }
}
