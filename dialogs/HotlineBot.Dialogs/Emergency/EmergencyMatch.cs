namespace HotlineBot.Dialogs.Emergency;

/// <summary>
/// The dangers a message revealed, highest priority first, and the cue that revealed each.
/// </summary>
public sealed record EmergencyMatch(IReadOnlyList<EmergencyHit> Hits)
{
    /// <summary>The category whose call and advice lead the reply.</summary>
    public EmergencyCategory Primary => Hits[0].Category;

    /// <summary>Every matched category, highest priority first.</summary>
    public IEnumerable<EmergencyCategory> Categories => Hits.Select(h => h.Category);

    /// <summary>The numbers to call, without repeats, in priority order.</summary>
    public IReadOnlyList<string> Numbers => [.. Hits.SelectMany(h => h.Category.Numbers).Distinct(StringComparer.Ordinal)];

    /// <summary>The matched category names joined with '+', for logs and turn records.</summary>
    public string Describe() => string.Join('+', Hits.Select(h => h.Category.Name));
}

/// <summary>One matched category and the (normalized) cue that matched it.</summary>
public sealed record EmergencyHit(EmergencyCategory Category, string Cue);
