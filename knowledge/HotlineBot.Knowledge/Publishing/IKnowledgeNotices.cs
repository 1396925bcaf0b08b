namespace HotlineBot.Knowledge.Publishing;

/// <summary>Which entries changed: every instance that searches them reloads those entries from the store.</summary>
public sealed record KnowledgeChange(IReadOnlyList<string> EntryIds);

/// <summary>
/// Change notices between the store and every search that serves from it: in process for the
/// embedded default, over pub/sub when several instances share one store.
/// </summary>
public interface IKnowledgeNotices
{
    /// <summary>Tells every subscriber; in process, returns once they have all handled it.</summary>
    Task PublishAsync(KnowledgeChange change, CancellationToken cancellationToken);

    /// <summary>Calls <paramref name="handler"/> for every change published from now on, until disposed.</summary>
    IDisposable Subscribe(Func<KnowledgeChange, CancellationToken, Task> handler);
}

/// <summary>Notices within one process: the publisher waits for the handlers, so a change is searchable when the edit returns.</summary>
public sealed class InProcessKnowledgeNotices : IKnowledgeNotices
{
    private readonly Lock _lock = new();
    private ImmutableHandlers _handlers = new([]);

    public async Task PublishAsync(KnowledgeChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        foreach (var handler in Volatile.Read(ref _handlers).Items)
        {
            await handler(change, cancellationToken).ConfigureAwait(false);
        }
    }

    public IDisposable Subscribe(Func<KnowledgeChange, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_lock)
        {
            _handlers = new([.. _handlers.Items, handler]);
        }

        return new Subscription(this, handler);
    }

    private void Unsubscribe(Func<KnowledgeChange, CancellationToken, Task> handler)
    {
        lock (_lock)
        {
            _handlers = new([.. _handlers.Items.Where(h => h != handler)]);
        }
    }

    private sealed record ImmutableHandlers(Func<KnowledgeChange, CancellationToken, Task>[] Items);

    private sealed class Subscription(InProcessKnowledgeNotices owner, Func<KnowledgeChange, CancellationToken, Task> handler) : IDisposable
    {
        public void Dispose() => owner.Unsubscribe(handler);
    }
}
