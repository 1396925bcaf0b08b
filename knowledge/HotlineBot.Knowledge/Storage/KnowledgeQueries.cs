using HotlineBot.Knowledge.Entries;

namespace HotlineBot.Knowledge.Storage;

/// <summary>One page of results and how many matched in all.</summary>
public sealed record KnowledgePage<T>(IReadOnlyList<T> Items, int Total);

/// <summary>Which entries to list. Null filters match everything.</summary>
public sealed record KnowledgeQuery
{
    public const int MaxPageSize = 200;

    /// <summary>Text that must occur in the question or an alternate (case-insensitive).</summary>
    public string? Text { get; init; }

    public string? Category { get; init; }

    public EntryStatus? Status { get; init; }

    /// <summary>1-based.</summary>
    public int Page { get; init; } = 1;

    public int PageSize { get; init; } = 20;

    public void Validate() => ValidatePaging(Page, PageSize);

    internal static void ValidatePaging(int page, int pageSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, MaxPageSize);
    }
}

/// <summary>Which changes to list in the audit; a null entry id means all entries.</summary>
public sealed record AuditQuery
{
    public string? EntryId { get; init; }

    public string? Author { get; init; }

    public int Page { get; init; } = 1;

    public int PageSize { get; init; } = 50;

    public void Validate() => KnowledgeQuery.ValidatePaging(Page, PageSize);
}

/// <summary>What a version did to its entry.</summary>
public enum RevisionKind
{
    Created,
    Seeded,
    Updated,
    Retired,
}

/// <summary>One immutable version of an entry: who wrote it, when, what changed, and the entry as it then stood.</summary>
public sealed record EntryRevision(
    string EntryId,
    int Version,
    RevisionKind Kind,
    string Author,
    DateTimeOffset At,
    IReadOnlyList<FieldChange> Changes,
    PolicyEntry Entry);

/// <summary>
/// One field's change, named as in the entry schema (<c>question</c>, <c>alternates</c>, ...). Values are
/// shown as text (lists as JSON arrays, dates as yyyy-MM-dd); <c>Old</c> is null when the entry was created.
/// </summary>
public sealed record FieldChange(string Field, string? Old, string? New);
