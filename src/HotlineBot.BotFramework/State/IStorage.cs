namespace HotlineBot.BotFramework.State;

/// <summary>
/// Durable key-value storage for bot state, with optimistic concurrency: a written item whose
/// <see cref="StoreItem.ETag"/> no longer matches the stored one is refused with
/// <see cref="StorageConcurrencyException"/>; an ETag of "*" (or none) overwrites.
/// </summary>
/// <remarks>
/// Every implementation passes the same contract tests. A write of several items is all or
/// nothing. After a successful write each entry of the caller's <c>changes</c> is replaced by the
/// item as stored, carrying its new ETag (as Bot Builder's storages set the ETag on the written
/// item), so the caller can write again without reading first. An ETag other than "*" for an item
/// that no longer exists is refused too: the item changed (it was deleted) since it was read.
/// </remarks>
public interface IStorage
{
    Task<IDictionary<string, StoreItem>> ReadAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default);

    Task WriteAsync(IDictionary<string, StoreItem> changes, CancellationToken cancellationToken = default);

    Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default);
}

/// <summary>A stored value (JSON) and the ETag it was read or written with.</summary>
public sealed record StoreItem(System.Text.Json.JsonElement Value, string? ETag = null)
{
    /// <summary>The ETag that overwrites whatever is stored.</summary>
    public const string AnyETag = "*";

    /// <summary>True when a write of this item must not check the stored ETag.</summary>
    public bool OverwritesAny => string.IsNullOrEmpty(ETag) || ETag == AnyETag;
}

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
