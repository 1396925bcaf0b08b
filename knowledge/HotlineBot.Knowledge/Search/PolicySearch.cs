using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Loading;
using HotlineBot.Knowledge.Text;

namespace HotlineBot.Knowledge.Search;

/// <summary>
/// The knowledge base's search. Holds one immutable index; <see cref="Load"/> and <see cref="Apply"/>
/// build a new one off to the side and swap it in atomically, so searches running meanwhile finish
/// on the old one. Searches take no lock; writers are serialized.
/// </summary>
public sealed class PolicySearch : IPolicySearch
{
    private readonly SearchOptions _options;
    private readonly LanguageData _language;
    private readonly Lock _writeLock = new();
    private PolicyIndex _index;

    public PolicySearch(LanguageData language, SearchOptions options, IEnumerable<PolicyEntry>? entries = null)
        : this(language, options, index: null)
    {
        _index = Build(entries ?? []);
    }

    private PolicySearch(LanguageData language, SearchOptions options, PolicyIndex? index)
    {
        _language = language ?? throw new ArgumentNullException(nameof(language));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _index = index!;
    }

    /// <summary>Searches the published entries of a seeds directory.</summary>
    public static PolicySearch FromSeeds(SeedSet seeds, SearchOptions options) =>
        new(seeds.Language, options, seeds.Published);

    public int Count => Volatile.Read(ref _index).Count;

    /// <summary>The published entries searched, in index order (entries added by <see cref="Apply"/> come last).</summary>
    public IReadOnlyList<PolicyEntry> Entries => Volatile.Read(ref _index).Entries;

    /// <summary>How many entries were analyzed to build the current index: all of them after a full build.</summary>
    internal int AnalyzedCount => Volatile.Read(ref _index).AnalyzedCount;

    /// <summary>Replaces the searchable entries; only published ones are indexed.</summary>
    public void Load(IEnumerable<PolicyEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        lock (_writeLock)
        {
            Volatile.Write(ref _index, Build(entries));
        }
    }

    /// <summary>
    /// Applies edited entries: each replaces the entry with its id, or is added; one that is not
    /// published takes its id out of search. Only these entries are analyzed (unless the tags
    /// change); searches give what a full build over the entries after the change gives.
    /// </summary>
    public void Apply(IReadOnlyCollection<PolicyEntry> changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        lock (_writeLock)
        {
            Volatile.Write(ref _index, Update(_index, changed));
        }
    }

    /// <summary>
    /// A search over the knowledge base as <see cref="Apply"/> would leave it, leaving this one as it
    /// is: for checking an edit before it is published.
    /// </summary>
    public IPolicySearch Preview(IReadOnlyCollection<PolicyEntry> changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        return new PolicySearch(_language, _options, Update(Volatile.Read(ref _index), changed));
    }

    public PolicyEntry? Find(string id) => Volatile.Read(ref _index).Find(id);

    public SearchResult Search(string question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var index = Volatile.Read(ref _index);

        // A long message is a story with the question somewhere in it: some of its sentences are
        // scored as well as the whole, and every entry keeps its best. Parts that cannot be
        // answered (no labour term, an out-of-scope cue) are not scored.
        var segments = Segments(question).Select(index.Analyzer.Analyze).ToList();
        var whole = segments[0];
        var answerable = segments.Where(s => Eligibility(s) is null).ToList();
        var candidates = index.Rank(whole, answerable.Count > 0 ? answerable : [whole], _options, _options.MaxCandidates);
        var (band, reason) = Decide(answerable.Count > 0 ? answerable[0] : whole, candidates);
        var top = candidates.Count > 0 ? candidates[0].Confidence : 0;
        if (band == SearchBand.Clarify)
        {
            var floor = top >= _options.AnswerThreshold ? top - _options.ClarifyMargin : _options.ClarifyFloor;
            candidates = [.. candidates.Where(c => c.Confidence >= floor)];
        }

        return new SearchResult(question, whole.Normalized, band, top, candidates, reason);
    }

    /// <summary>
    /// The whole message, then (when it has several sentences) its first sentence and its last few,
    /// each alone and with its neighbour: the question is usually at the end, sometimes first.
    /// </summary>
    internal static IEnumerable<string> Segments(string text)
    {
        yield return text;
        var sentences = text.Split(SentenceEnds, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(s => s.Count(TextNormalizer.IsHan) >= MinSentenceHan)
            .ToList();
        if (sentences.Count < 2)
        {
            yield break;
        }

        var tail = Math.Max(1, sentences.Count - TailSentences);
        if (tail > 1)
        {
            yield return sentences[0];
        }

        for (var i = tail - 1; i < sentences.Count; i++)
        {
            yield return sentences[i];
            if (i + 1 < sentences.Count && sentences.Count > 2)
            {
                yield return sentences[i] + "，" + sentences[i + 1];
            }
        }
    }

    private const int TailSentences = 3;

    private static readonly char[] SentenceEnds = ['。', '！', '？', '!', '?', '；', ';', '\n', '…', '～', '~'];

    private const int MinSentenceHan = 4;

    /// <summary>Why a text cannot be answered whatever it matches, or null when it can.</summary>
    private static string? Eligibility(AnalyzedText text) =>
        text.Terms.Count == 0 ? "empty"
        : text.OutOfScopeCue is { } cue ? "out-of-scope:" + cue
        : !text.HasDomainTerm ? "no-domain-term"
        : null;

    private (SearchBand Band, string Reason) Decide(AnalyzedText question, IReadOnlyList<SearchCandidate> candidates)
    {
        if (Eligibility(question) is { } reason)
        {
            return (SearchBand.Fallback, reason);
        }

        if (candidates.Count == 0)
        {
            return (SearchBand.Fallback, "low-confidence");
        }

        var top = candidates[0].Confidence;
        if (top < _options.ClarifyFloor)
        {
            return (SearchBand.Fallback, "low-confidence");
        }

        if (top < _options.AnswerThreshold)
        {
            return (SearchBand.Clarify, "low-confidence");
        }

        return candidates.Count > 1 && candidates[1].Confidence >= top - _options.ClarifyMargin
            ? (SearchBand.Clarify, "close-candidates")
            : (SearchBand.Answer, "answer");
    }

    private PolicyIndex Build(IEnumerable<PolicyEntry> entries)
    {
        var published = entries.Where(e => e.Status == EntryStatus.Published).ToList();
        var tags = AnalyzerTags(published);
        var weights = AnalyzerWeights.Default with { Bigram = (float)_options.BigramWeight, Unigram = (float)_options.UnigramWeight };
        var analyzer = new TextAnalyzer(_language, tags, weights, _options.Segmenter);
        return new PolicyIndex(published, analyzer, tags);
    }

    /// <summary>The index after a change: entries keep their place, new ones come last in the order given.</summary>
    private PolicyIndex Update(PolicyIndex index, IReadOnlyCollection<PolicyEntry> changed)
    {
        if (changed.Count == 0)
        {
            return index;
        }

        var byId = new Dictionary<string, PolicyEntry>(changed.Count, StringComparer.Ordinal);
        foreach (var entry in changed)
        {
            byId[entry.Id] = entry;
        }

        var entries = new List<PolicyEntry>(index.Count + byId.Count);
        foreach (var entry in index.Entries)
        {
            if (!byId.Remove(entry.Id, out var change))
            {
                entries.Add(entry);
            }
            else if (change.Status == EntryStatus.Published)
            {
                entries.Add(change);
            }
        }

        foreach (var entry in changed)
        {
            if (byId.Remove(entry.Id, out var added) && added.Status == EntryStatus.Published)
            {
                entries.Add(added);
            }
        }

        // The analyzer knows the published entries' tags as dictionary words (in order of first use,
        // which orders homophones of one another), so every text's terms may depend on them: when they
        // change, nothing analyzed before is known to hold, and everything is analyzed again.
        var tags = AnalyzerTags(entries);
        return tags.SequenceEqual(index.Tags, StringComparer.Ordinal) ? index.With(entries) : Build(entries);
    }

    private static string[] AnalyzerTags(IEnumerable<PolicyEntry> published) =>
        [.. published.SelectMany(e => e.Tags).Distinct(StringComparer.Ordinal)];
}
