using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Loading;
using HotlineBot.Knowledge.Text;

namespace HotlineBot.Knowledge.Search;

/// <summary>
/// The knowledge base's search. Holds one immutable index; <see cref="Load"/> builds a new one off
/// to the side and swaps it in atomically, so searches running meanwhile finish on the old one.
/// </summary>
public sealed class PolicySearch : IPolicySearch
{
    private readonly SearchOptions _options;
    private readonly LanguageData _language;
    private PolicyIndex _index;

    public PolicySearch(LanguageData language, SearchOptions options, IEnumerable<PolicyEntry>? entries = null)
    {
        _language = language ?? throw new ArgumentNullException(nameof(language));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _index = Build(entries ?? []);
    }

    /// <summary>Searches the published entries of a seeds directory.</summary>
    public static PolicySearch FromSeeds(SeedSet seeds, SearchOptions options) =>
        new(seeds.Language, options, seeds.Published);

    public int Count => Volatile.Read(ref _index).Count;

    public IReadOnlyList<PolicyEntry> Entries => Volatile.Read(ref _index).Entries;

    internal PolicyIndex Index => Volatile.Read(ref _index);

    /// <summary>Replaces the searchable entries; only published ones are indexed.</summary>
    public void Load(IEnumerable<PolicyEntry> entries) => Volatile.Write(ref _index, Build(entries));

    public PolicyEntry? Find(string id) => Volatile.Read(ref _index).Find(id);

    public SearchResult Search(string question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var index = Volatile.Read(ref _index);
        var analyzed = index.Analyzer.Analyze(question);
        var candidates = index.Rank(analyzed, _options, _options.MaxCandidates);
        var top = candidates.Count > 0 ? candidates[0].Confidence : 0;
        var (band, reason) = Decide(analyzed, candidates);
        if (band == SearchBand.Clarify)
        {
            var floor = top >= _options.AnswerThreshold ? top - _options.ClarifyMargin : _options.ClarifyFloor;
            candidates = [.. candidates.Where(c => c.Confidence >= floor)];
        }

        return new SearchResult(question, analyzed.Normalized, band, top, candidates, reason);
    }

    private (SearchBand Band, string Reason) Decide(AnalyzedText question, IReadOnlyList<SearchCandidate> candidates)
    {
        if (question.Terms.Count == 0 || candidates.Count == 0)
        {
            return (SearchBand.Fallback, question.Terms.Count == 0 ? "empty" : "low-confidence");
        }

        if (question.OutOfScopeCue is { } cue)
        {
            return (SearchBand.Fallback, "out-of-scope:" + cue);
        }

        if (!question.HasDomainTerm)
        {
            return (SearchBand.Fallback, "no-domain-term");
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
        var analyzer = new TextAnalyzer(_language, published.SelectMany(e => e.Tags));
        return new PolicyIndex(published, analyzer);
    }
}
