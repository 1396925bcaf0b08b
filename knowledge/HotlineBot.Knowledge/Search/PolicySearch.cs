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

    /// <summary>Replaces the searchable entries; only published ones are indexed.</summary>
    public void Load(IEnumerable<PolicyEntry> entries) => Volatile.Write(ref _index, Build(entries));

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
        var weights = AnalyzerWeights.Default with { Bigram = (float)_options.BigramWeight, Unigram = (float)_options.UnigramWeight };
        var analyzer = new TextAnalyzer(_language, published.SelectMany(e => e.Tags), weights, _options.Segmenter);
        return new PolicyIndex(published, analyzer);
    }
}
