using System.Globalization;

namespace HotlineBot.Knowledge.Storage;

/// <summary>An update carried a version the store no longer has: someone else changed the entry since it was read.</summary>
public sealed class KnowledgeConcurrencyException : Exception
{
    public KnowledgeConcurrencyException(string entryId, int expectedVersion, int storedVersion)
        : base($"Entry '{entryId}' changed since it was read (read version {expectedVersion}, stored version {storedVersion.ToString(CultureInfo.InvariantCulture)}); read it again and retry.")
    {
        EntryId = entryId;
        ExpectedVersion = expectedVersion;
        StoredVersion = storedVersion;
    }

    public string EntryId { get; }

    public int ExpectedVersion { get; }

    public int StoredVersion { get; }
}

/// <summary>No entry has this id.</summary>
public sealed class KnowledgeEntryNotFoundException : KeyNotFoundException
{
    public KnowledgeEntryNotFoundException(string entryId)
        : base($"No entry '{entryId}'.") => EntryId = entryId;

    public string EntryId { get; }
}

/// <summary>An entry with this id exists already (ids stay taken after retirement, so history never mixes two entries).</summary>
public sealed class KnowledgeEntryExistsException : InvalidOperationException
{
    public KnowledgeEntryExistsException(string entryId)
        : base($"An entry '{entryId}' exists already.") => EntryId = entryId;

    public string EntryId { get; }
}

/// <summary>The entry breaks <see cref="Entries.EntryRules"/>; <see cref="Problems"/> says how, in words an admin can act on.</summary>
public sealed class KnowledgeValidationException : ArgumentException
{
    public KnowledgeValidationException(IReadOnlyList<string> problems)
        : base(string.Join("; ", problems)) => Problems = problems;

    public IReadOnlyList<string> Problems { get; }
}
