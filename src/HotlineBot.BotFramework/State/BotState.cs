using System.Text.Json;
using HotlineBot.BotFramework.Builder;

namespace HotlineBot.BotFramework.State;

/// <summary>
/// State kept between turns under one storage key per scope (as Bot Builder's BotState): loaded
/// once per turn into the turn's <see cref="ITurnContext.TurnState"/>, changed through property
/// accessors, and written back by <see cref="SaveChangesAsync"/> only when something changed,
/// with the ETag it was read with, so a concurrent turn's write is never silently lost.
/// </summary>
public abstract class BotState
{
    private readonly IStorage _storage;
    private readonly string _contextServiceKey;

    protected BotState(IStorage storage, string contextServiceKey)
    {
        _storage = storage ?? throw new ArgumentNullException(nameof(storage));
        ArgumentException.ThrowIfNullOrEmpty(contextServiceKey);
        _contextServiceKey = contextServiceKey;
    }

    /// <summary>An accessor for one named property of this state.</summary>
    public IStatePropertyAccessor<T> CreateProperty<T>(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new BotStatePropertyAccessor<T>(this, name);
    }

    /// <summary>Reads the state into the turn unless it is there already (or <paramref name="force"/>).</summary>
    public virtual async Task LoadAsync(ITurnContext turnContext, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        if (!force && turnContext.TurnState.ContainsKey(_contextServiceKey))
        {
            return;
        }

        var key = GetStorageKey(turnContext);
        var items = await _storage.ReadAsync([key], cancellationToken).ConfigureAwait(false);
        turnContext.TurnState[_contextServiceKey] = items.TryGetValue(key, out var item)
            ? CachedBotState.FromStored(item)
            : new CachedBotState(new Dictionary<string, object?>(StringComparer.Ordinal), null);
    }

    /// <summary>Writes the state if it changed this turn (or <paramref name="force"/>), with the ETag it was read with.</summary>
    /// <exception cref="StorageConcurrencyException">Another turn wrote the same state since this one read it.</exception>
    public virtual async Task SaveChangesAsync(ITurnContext turnContext, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        if (GetCachedState(turnContext) is not { } cached)
        {
            return;
        }

        var json = cached.Serialize();
        if (!force && json.GetRawText() == cached.Hash)
        {
            return;
        }

        var key = GetStorageKey(turnContext);
        var changes = new Dictionary<string, StoreItem>(StringComparer.Ordinal) { [key] = new StoreItem(json, cached.ETag) };
        await _storage.WriteAsync(changes, cancellationToken).ConfigureAwait(false);
        cached.ETag = changes[key].ETag;
        cached.Hash = json.GetRawText();
    }

    /// <summary>Empties the state in this turn; the next save writes it empty.</summary>
    public virtual Task ClearStateAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var previous = GetCachedState(turnContext);
        turnContext.TurnState[_contextServiceKey] = new CachedBotState(new Dictionary<string, object?>(StringComparer.Ordinal), previous?.ETag)
        {
            // Whatever was loaded counts as a change, so the next save writes the empty state.
            Hash = previous?.Hash ?? string.Empty,
        };
        return Task.CompletedTask;
    }

    /// <summary>Removes the state from the turn and from storage.</summary>
    public virtual async Task DeleteAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        turnContext.TurnState.Remove(_contextServiceKey);
        await _storage.DeleteAsync([GetStorageKey(turnContext)], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The storage key of this state for the turn's conversation or user.</summary>
    protected abstract string GetStorageKey(ITurnContext turnContext);

    protected async Task<T?> GetPropertyValueAsync<T>(ITurnContext turnContext, string propertyName, Func<T>? defaultValueFactory, CancellationToken cancellationToken)
    {
        var cached = await LoadedStateAsync(turnContext, cancellationToken).ConfigureAwait(false);
        if (cached.State.TryGetValue(propertyName, out var value) && value is not null)
        {
            if (value is T typed)
            {
                return typed;
            }

            // Keep the typed value in the cache, so changes made to it are the ones saved.
            var converted = StateJson.Convert<T>(value);
            cached.State[propertyName] = converted;
            return converted;
        }

        if (defaultValueFactory is null)
        {
            return default;
        }

        var created = defaultValueFactory();
        cached.State[propertyName] = created;
        return created;
    }

    protected async Task SetPropertyValueAsync(ITurnContext turnContext, string propertyName, object? value, CancellationToken cancellationToken)
    {
        var cached = await LoadedStateAsync(turnContext, cancellationToken).ConfigureAwait(false);
        cached.State[propertyName] = value;
    }

    protected async Task DeletePropertyValueAsync(ITurnContext turnContext, string propertyName, CancellationToken cancellationToken)
    {
        var cached = await LoadedStateAsync(turnContext, cancellationToken).ConfigureAwait(false);
        cached.State.Remove(propertyName);
    }

    private CachedBotState? GetCachedState(ITurnContext turnContext) =>
        turnContext.TurnState.TryGetValue(_contextServiceKey, out var value) ? value as CachedBotState : null;

    private async Task<CachedBotState> LoadedStateAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        await LoadAsync(turnContext, false, cancellationToken).ConfigureAwait(false);
        return GetCachedState(turnContext) ?? throw new InvalidOperationException($"{GetType().Name} is not loaded in this turn.");
    }

    /// <summary>The state as read this turn, the ETag it came with and what it looked like then.</summary>
    private sealed class CachedBotState(Dictionary<string, object?> state, string? eTag)
    {
        public Dictionary<string, object?> State { get; } = state;

        public string? ETag { get; set; } = eTag;

        /// <summary>The JSON last read or written; the state changed when it serializes differently.</summary>
        public string Hash { get; set; } = "{}";

        public static CachedBotState FromStored(StoreItem item)
        {
            var state = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (item.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in item.Value.EnumerateObject())
                {
                    state[property.Name] = property.Value.Clone();
                }
            }

            var cached = new CachedBotState(state, item.ETag);
            cached.Hash = cached.Serialize().GetRawText();
            return cached;
        }

        public JsonElement Serialize() => JsonSerializer.SerializeToElement(State, StateJson.Options);
    }

    private sealed class BotStatePropertyAccessor<T>(BotState botState, string name) : IStatePropertyAccessor<T>
    {
        public string Name { get; } = name;

        public Task<T?> GetAsync(ITurnContext turnContext, Func<T>? defaultValueFactory = null, CancellationToken cancellationToken = default) =>
            botState.GetPropertyValueAsync(turnContext, Name, defaultValueFactory, cancellationToken);

        public Task SetAsync(ITurnContext turnContext, T value, CancellationToken cancellationToken = default) =>
            botState.SetPropertyValueAsync(turnContext, Name, value, cancellationToken);

        public Task DeleteAsync(ITurnContext turnContext, CancellationToken cancellationToken = default) =>
            botState.DeletePropertyValueAsync(turnContext, Name, cancellationToken);
    }
}
