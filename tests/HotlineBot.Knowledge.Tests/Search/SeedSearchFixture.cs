using HotlineBot.Knowledge.Loading;
using HotlineBot.Knowledge.Search;

[assembly: AssemblyFixture(typeof(HotlineBot.Knowledge.Tests.Search.SeedSearchFixture))]

namespace HotlineBot.Knowledge.Tests.Search;

/// <summary>One search over the real seeds, built once for the whole test assembly. Never call Load on it.</summary>
public sealed class SeedSearchFixture
{
    public SeedSearchFixture()
    {
        Seeds = SeedLoader.Load(TestSeeds.Directory);
        Search = PolicySearch.FromSeeds(Seeds, new SearchOptions());
    }

    public SeedSet Seeds { get; }

    public PolicySearch Search { get; }

    /// <summary>A result in one line, for assertion messages.</summary>
    public static string Describe(SearchResult result) =>
        $"{result.Band} ({result.Reason}) " + string.Join("; ", result.Candidates.Select(c =>
            $"{c.Entry.Id} {c.Confidence:0.000} [{string.Join(' ', c.MatchedTerms)}]"));
}
