using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.SmallTalk;

namespace HotlineBot.Knowledge.Loading;

/// <summary>Everything read from the seeds directory.</summary>
public sealed record SeedSet(IReadOnlyList<PolicyEntry> Entries, LanguageData Language, IReadOnlyList<SmallTalkIntent> SmallTalk)
{
    public IEnumerable<PolicyEntry> Published => Entries.Where(e => e.Status == EntryStatus.Published);
}

/// <summary>The editable language data the analyzer uses (all kept in seeds/).</summary>
public sealed record LanguageData(
    IReadOnlyList<string> DictionaryTerms,
    IReadOnlyList<SynonymGroup> Synonyms,
    IReadOnlyList<OutOfScopeCue> OutOfScopeCues,
    IReadOnlyList<string> OutOfScopeSamples);

/// <summary>Workers' words that mean a legal term: wherever one occurs, the term is searched too.</summary>
public sealed record SynonymGroup(string Term, IReadOnlyList<string> Words);

/// <summary>Words that mark a question outside labour and union matters, unless a labour word is there too.</summary>
public sealed record OutOfScopeCue(string Name, IReadOnlyList<string> Words, IReadOnlyList<string> Unless);
