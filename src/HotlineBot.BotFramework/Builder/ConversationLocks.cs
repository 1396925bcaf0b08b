namespace HotlineBot.BotFramework.Builder;

/// <summary>
/// Turns of one conversation one at a time: a worker who sends twice quickly, or two instances behind a
/// load balancer that each got one message of the same conversation, run one after the other, so the second
/// turn reads the state the first one wrote. The state's ETag check stays as the last guard.
/// </summary>
public interface IConversationLocks
{
    /// <summary>Waits until no other turn of <paramref name="conversation"/> runs; dispose the result to let the next one in.</summary>
    Task<IAsyncDisposable> AcquireAsync(string conversation, CancellationToken cancellationToken);
}

/// <summary>
/// Runs the rest of the pipeline under the conversation's lock. A turn that already holds it (a proactive
/// message sent from within a turn of the same conversation) does not wait for itself.
/// </summary>
public sealed class ConversationLockMiddleware(IConversationLocks locks) : IMiddleware
{
    private static readonly AsyncLocal<string?> Held = new();

    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(next);
        var activity = turnContext.Activity;
        if (activity.Conversation?.Id is not { Length: > 0 } id || Held.Value is { } held && held == Key(activity.ChannelId, id))
        {
            await next(cancellationToken).ConfigureAwait(false);
            return;
        }

        var key = Key(activity.ChannelId, id);
        await using (await locks.AcquireAsync(key, cancellationToken).ConfigureAwait(false))
        {
            Held.Value = key;
            try
            {
                await next(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Held.Value = null;
            }
        }
    }

    private static string Key(string? channelId, string conversationId) => (channelId ?? string.Empty) + "/" + conversationId;
}

/// <summary>
/// Conversation locks within one process (the embedded default). A turn that waits longer than
/// <c>wait</c> goes ahead anyway (and the ETag check decides), so a stuck turn never blocks a worker for good.
/// </summary>
public sealed class InProcessConversationLocks(TimeSpan wait) : IConversationLocks
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public InProcessConversationLocks()
        : this(TimeSpan.FromSeconds(10))
    {
    }

    public async Task<IAsyncDisposable> AcquireAsync(string conversation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        Entry entry;
        lock (_lock)
        {
            if (!_entries.TryGetValue(conversation, out entry!))
            {
                entry = new Entry();
                _entries[conversation] = entry;
            }

            entry.Users++;
        }

        bool entered;
        try
        {
            entered = await entry.Gate.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Leave(conversation, entry, entered: false);
            throw;
        }

        return new Release(this, conversation, entry, entered);
    }

    private void Leave(string conversation, Entry entry, bool entered)
    {
        if (entered)
        {
            entry.Gate.Release();
        }

        lock (_lock)
        {
            if (--entry.Users == 0)
            {
                _entries.Remove(conversation);
                entry.Gate.Dispose();
            }
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Release(InProcessConversationLocks owner, string conversation, Entry entry, bool entered) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Leave(conversation, entry, entered);
            }

            return ValueTask.CompletedTask;
        }
    }
}
