namespace HotlineBot.BotFramework.State;

/// <summary>
/// Durable key-value storage for bot state, with optimistic concurrency: a written item whose
/// <see cref="StoreItem.ETag"/> no longer matches the stored one is refused with
/// <see cref="StorageConcurrencyException"/>; an ETag of "*" (or none) overwrites.
/// </summary>
public interface IStorage
{
    Task<IDictionary<string, StoreItem>> ReadAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default);

    Task WriteAsync(IDictionary<string, StoreItem> changes, CancellationToken cancellationToken = default);

    Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default);
}

/// <summary>A stored value (JSON) and the ETag it was read or written with.</summary>
public sealed record StoreItem(System.Text.Json.JsonElement Value, string? ETag = null);

/// <summary>A write lost a race: the item changed since it was read.</summary>
public sealed class StorageConcurrencyException : Exception
{
    public StorageConcurrencyException()
    {
    }

    public StorageConcurrencyException(string message) : base(message)
    {
    }

    public StorageConcurrencyException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
