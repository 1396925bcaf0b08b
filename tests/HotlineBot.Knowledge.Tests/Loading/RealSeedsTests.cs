using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Loading;

namespace HotlineBot.Knowledge.Tests.Loading;

/// <summary>The seed content the project ships: it must load and meet the curated base's own rules.</summary>
public class RealSeedsTests
{
    private static readonly Lazy<SeedSet> Seeds = new(() => SeedLoader.Load(TestSeeds.Directory));

    [Fact]
    public void Load_ReadsShippedSeeds_WithEntriesInEveryKnowledgeFile()
    {
        var files = Directory.GetFiles(Path.Combine(TestSeeds.Directory, "knowledge"), "*.yaml")
            .Select(path => Path.GetFileNameWithoutExtension(path))
            .ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(files);
        Assert.Equal(files, Seeds.Value.Entries.Select(e => e.Category).ToHashSet(StringComparer.Ordinal));
    }

    [Fact]
    public void ShippedSeeds_PublishEveryEntry()
    {
        var unpublished = Seeds.Value.Entries.Where(e => e.Status != EntryStatus.Published).Select(e => $"{e.Id} ({e.Status})").ToList();

        Assert.True(unpublished.Count == 0, "not published: " + string.Join(", ", unpublished));
    }

    [Fact]
    public void ShippedSeeds_HaveUniqueIds()
    {
        var duplicates = Seeds.Value.Entries.GroupBy(e => e.Id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();

        Assert.Empty(duplicates);
    }

    [Fact]
    public void ShippedSeeds_GiveEveryEntryAtLeastFourAlternates()
    {
        var thin = Seeds.Value.Entries.Where(e => e.Alternates.Count < EntryRules.MinSeedAlternates).Select(e => $"{e.Id} ({e.Alternates.Count})").ToList();

        Assert.True(thin.Count == 0, "fewer than 4 alternates: " + string.Join(", ", thin));
    }

    [Fact]
    public void ShippedSeeds_GiveEveryAnswerALegalBasis()
    {
        var unsourced = Seeds.Value.Entries
            .Where(e => e.Sources.Count == 0 && !e.Answer.Split('\n').Any(line => line.TrimStart().StartsWith("依据", StringComparison.Ordinal)))
            .Select(e => e.Id)
            .ToList();

        Assert.True(unsourced.Count == 0, "no 依据 line and no source: " + string.Join(", ", unsourced));
    }

    [Fact]
    public void ShippedSeeds_PassTheEntryRules()
    {
        var problems = Seeds.Value.Entries.SelectMany(e => EntryRules.Problems(e, EntryRules.MinSeedAlternates)).ToList();

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void ShippedSeeds_IncludeLanguageDataAndSmallTalk()
    {
        var language = Seeds.Value.Language;

        Assert.NotEmpty(language.DictionaryTerms);
        Assert.NotEmpty(language.Synonyms);
        Assert.NotEmpty(language.OutOfScopeCues);
        Assert.NotEmpty(Seeds.Value.SmallTalk);
    }
}
