using System.Text.RegularExpressions;

namespace HotlineBot.Knowledge.Entries;

/// <summary>What every entry must satisfy, wherever it comes from (seed file, API, import).</summary>
public static partial class EntryRules
{
    /// <summary>Seed files are the curated base: each entry must give search this many other phrasings.</summary>
    public const int MinSeedAlternates = 4;

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();

    public static bool IsSlug(string value) => value.Length <= 80 && SlugPattern().IsMatch(value);

    /// <summary>The problems of one entry, in the words an admin needs to fix them; empty when it is fine.</summary>
    public static IReadOnlyList<string> Problems(PolicyEntry entry, int minAlternates = 0)
    {
        var problems = new List<string>();
        if (!IsSlug(entry.Id))
        {
            problems.Add($"id '{entry.Id}' must be a readable slug: lowercase letters, digits and single hyphens");
        }

        if (string.IsNullOrWhiteSpace(entry.Question))
        {
            problems.Add($"entry '{entry.Id}': question is required");
        }

        if (string.IsNullOrWhiteSpace(entry.Answer))
        {
            problems.Add($"entry '{entry.Id}': answer is required");
        }

        if (!IsSlug(entry.Category))
        {
            problems.Add($"category '{entry.Category}' must be a slug");
        }

        if (entry.Alternates.Count < minAlternates)
        {
            problems.Add($"entry '{entry.Id}' has {entry.Alternates.Count} alternates; at least {minAlternates} are needed");
        }

        if (entry.ReviewBy < entry.EffectiveFrom)
        {
            problems.Add($"entry '{entry.Id}': reviewBy {entry.ReviewBy:yyyy-MM-dd} is before effectiveFrom {entry.EffectiveFrom:yyyy-MM-dd}");
        }

        if (entry.Version < 1)
        {
            problems.Add($"entry '{entry.Id}': version must be 1 or more");
        }

        return problems;
    }
}
