using System.Collections.Concurrent;

namespace HotlineBot.WeChat.Api;

/// <summary>
/// The access token for a single instance: kept in memory, one fetch at a time per AppID (callers arriving during
/// a fetch wait for it and share its token). Register it as a singleton; scaled out, use <see cref="RedisAccessTokenCache"/>.
/// </summary>
public sealed class InMemoryAccessTokenCache(TimeProvider? time = null) : IAccessTokenCache
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);

    public async Task<AccessToken> GetOrFetchAsync(string appId, Func<CancellationToken, Task<AccessToken>> fetch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        var slot = _slots.GetOrAdd(appId, _ => new Slot());
        if (slot.Token is { } cached && cached.IsFresh(_time.GetUtcNow()))
        {
            return cached;
        }

        await slot.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Whoever held the gate before us may have fetched already.
            if (slot.Token is { } fetched && fetched.IsFresh(_time.GetUtcNow()))
            {
                return fetched;
            }

            var token = await fetch(cancellationToken).ConfigureAwait(false);
            slot.Token = token;
            return token;
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    public Task InvalidateAsync(string appId, string rejectedToken, CancellationToken cancellationToken)
    {
        if (_slots.TryGetValue(appId, out var slot))
        {
            slot.Clear(rejectedToken);
        }

        return Task.CompletedTask;
    }

    private sealed class Slot
    {
        private AccessToken? _token;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public AccessToken? Token
        {
            get => Volatile.Read(ref _token);
            set => Volatile.Write(ref _token, value);
        }

        /// <summary>Compare-and-swap: a token another caller fetched meanwhile stays.</summary>
        public void Clear(string rejectedToken)
        {
            var current = Token;
            if (current is not null && current.Value == rejectedToken)
            {
                Interlocked.CompareExchange(ref _token, null, current);
            }
        }
    }
}
