using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Loading;
using HotlineBot.Knowledge.Search;

namespace HotlineBot.Knowledge.Benchmarks;

/// <summary>Which entries a benchmark indexes.</summary>
public enum CorpusKind
{
    /// <summary>The published seed entries.</summary>
    Seed,

    /// <summary>The published seed entries plus <see cref="Workload.SyntheticCount"/> synthetic ones.</summary>
    Synthetic10K,
}

/// <summary>The seed content and the corpora built from it, loaded once per process.</summary>
internal static class Workload
{
    public const int SyntheticCount = 10_000;

    private static readonly Lazy<SeedSet> LazySeeds = new(() => SeedLoader.Load(SeedsDirectory()));

    private static readonly Lazy<IReadOnlyList<PolicyEntry>> LazySeedEntries = new(() => [.. Seeds.Published]);

    private static readonly Lazy<IReadOnlyList<PolicyEntry>> LazySynthetic = new(() =>
        [.. SeedEntries, .. SyntheticCorpus.Generate(SeedEntries, Vocabulary(Seeds), SyntheticCount)]);

    public static SeedSet Seeds => LazySeeds.Value;

    public static IReadOnlyList<PolicyEntry> SeedEntries => LazySeedEntries.Value;

    public static IReadOnlyList<PolicyEntry> Entries(CorpusKind corpus) => corpus switch
    {
        CorpusKind.Seed => SeedEntries,
        CorpusKind.Synthetic10K => LazySynthetic.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(corpus), corpus, null),
    };

    /// <summary>Builds the search the host would build over these entries (default options).</summary>
    public static PolicySearch BuildSearch(IReadOnlyList<PolicyEntry> entries) =>
        new(Seeds.Language, new SearchOptions(), entries);

    /// <summary>The entry the one-entry edits change: one in the middle of the corpus.</summary>
    public static PolicyEntry EditTarget(IReadOnlyList<PolicyEntry> entries) => entries[entries.Count / 2];

    /// <summary>An admin's edit of an entry: a line added to its answer, tags unchanged.</summary>
    public static PolicyEntry Edit(PolicyEntry entry) =>
        entry with { Answer = entry.Answer + "\n如有疑问，可拨打12351职工服务热线咨询。", Version = entry.Version + 1 };

    /// <summary>The seed vocabulary: dictionary words, synonym terms and workers' words, and the entries' tags.</summary>
    private static List<string> Vocabulary(SeedSet seeds) =>
        [.. seeds.Language.DictionaryTerms
            .Concat(seeds.Language.Synonyms.Select(g => g.Term))
            .Concat(seeds.Language.Synonyms.SelectMany(g => g.Words))
            .Concat(seeds.Published.SelectMany(e => e.Tags))
            .Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// The seeds copied beside the assembly (seeds/Seeds.targets); failing that, the nearest
    /// <c>seeds</c> folder above it or above the working directory (the repository's own).
    /// </summary>
    public static string SeedsDirectory()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "seeds");
                if (Directory.Exists(Path.Combine(candidate, SeedLoader.KnowledgeFolder)))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException($"No seeds directory with a '{SeedLoader.KnowledgeFolder}' folder beside {AppContext.BaseDirectory} or above it.");
    }
}
