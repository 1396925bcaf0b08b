namespace HotlineBot.Knowledge.Entries;

/// <summary>One policy answer of the knowledge base, the same shape in seed files, the API and exports.</summary>
public sealed record PolicyEntry
{
    /// <summary>Readable slug, unique across the knowledge base (for example <c>overtime-pay-rates</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The canonical question.</summary>
    public required string Question { get; init; }

    /// <summary>Other ways workers ask the same question.</summary>
    public IReadOnlyList<string> Alternates { get; init; } = [];

    /// <summary>Short Markdown: the figure first, then what to do, then the source.</summary>
    public required string Answer { get; init; }

    public required string Category { get; init; }

    public IReadOnlyList<EntrySource> Sources { get; init; } = [];

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary><c>national</c> or the name of a place whose local rule the entry gives.</summary>
    public string Region { get; init; } = NationalRegion;

    public DateOnly EffectiveFrom { get; init; }

    public DateOnly ReviewBy { get; init; }

    public EntryStatus Status { get; init; } = EntryStatus.Draft;

    public int Version { get; init; } = 1;

    public const string NationalRegion = "national";

    /// <summary>The question followed by its alternates: every phrasing the index matches against.</summary>
    public IEnumerable<string> Phrasings()
    {
        yield return Question;
        foreach (var alternate in Alternates)
        {
            yield return alternate;
        }
    }
}

/// <summary>A legal source: the law or regulation and the article.</summary>
public sealed record EntrySource(string Title, string? Article);

public enum EntryStatus
{
    Draft,
    Published,
    Retired,
}
