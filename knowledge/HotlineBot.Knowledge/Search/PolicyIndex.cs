using System.Runtime.InteropServices;
using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Text;

namespace HotlineBot.Knowledge.Search;

/// <summary>
/// An immutable index over the published entries. Each phrasing (question or alternate) is a
/// document, and so is each answer text. Terms are weighted by BM25's inverse document frequency
/// (counted over entries: a word said in ten alternates of one entry still tells it apart) times
/// the analyzer's weight per kind. An entry's confidence blends how well its best phrasing and the
/// question cover each other, how much of the question its phrasings cover together, and, for
/// less, how much of the question its answer covers.
/// <para>
/// A search runs in two phases so that it stays fast on large knowledge bases: entries sharing the
/// question's rarest terms are gathered from entry-level postings (within a budget of postings),
/// and only the best of them are scored exactly, through each entry's own small inverted index.
/// Built off to the side and swapped in whole by <see cref="PolicySearch"/>.
/// </para>
/// </summary>
internal sealed class PolicyIndex
{
    /// <summary>Postings read in the first phase at most (rarest terms first; the rarest is always read whole).</summary>
    private const int PostingBudget = 8_192;

    /// <summary>Entries scored exactly in the second phase.</summary>
    private const int ShortListSize = 16;

    private readonly PolicyEntry[] _entries;
    private readonly Dictionary<string, int> _entryById;
    private readonly Dictionary<string, int> _termIds;
    private readonly string[] _termKeys;
    private readonly int[] _entryFrequency;
    private readonly float[] _idf;
    private readonly float _unseenIdf;

    // Entry e's documents: phrasings 0..P-1 (P = _phrasingCount[e]), then its answer as local document P.
    // Global document numbers start at _entryDocs[e]; _docMass and _phrasingText are indexed by them.
    private readonly int[] _entryDocs;
    private readonly int[] _phrasingCount;
    private readonly float[] _docMass;
    private readonly string[] _phrasingText;

    // Each entry's own inverted index: its terms _localTerm[_entryTerms[e].._entryTerms[e+1]] (sorted),
    // term k's documents _localDoc[_localStart[k].._localStart[k+1]] with the analyzer's _localWeight
    // (times the term's IDF when scored: kept apart from it so a later index can reuse the analysis).
    // _firstSeen[_entryTerms[e] + i] is the offset of the i-th term the entry's documents use, the
    // order a later index numbers new terms in.
    private readonly int[] _entryTerms;
    private readonly int[] _localTerm;
    private readonly bool[] _localInPhrasing;
    private readonly int[] _localStart;
    private readonly short[] _localDoc;
    private readonly float[] _localWeight;
    private readonly int[] _firstSeen;

    // Entry-level postings for the first phase: entries whose phrasings hold term t.
    private readonly int[] _postStart;
    private readonly int[] _postEntry;

    /// <summary>Indexes the entries, analyzing every one of them.</summary>
    /// <param name="entries">The published entries, in the order the index keeps them.</param>
    /// <param name="analyzer">The analyzer built with <paramref name="tags"/> as extra dictionary words.</param>
    /// <param name="tags">The entries' distinct tags in order of first use.</param>
    public PolicyIndex(IReadOnlyList<PolicyEntry> entries, TextAnalyzer analyzer, IReadOnlyList<string> tags)
        : this(analyzer, tags, [.. entries.Select(e => EntryTerms.Analyze(e, analyzer))], previous: null)
    {
    }

    /// <summary>
    /// Assembles the index from analyzed entries. Terms are numbered in the order the entries first
    /// use them (each entry's own first-use order within it), so an index assembled partly from
    /// another index's entries has exactly the arrays of one built by analyzing everything afresh.
    /// </summary>
    private PolicyIndex(TextAnalyzer analyzer, IReadOnlyList<string> tags, EntryTerms[] sources, PolicyIndex? previous)
    {
        Analyzer = analyzer;
        Tags = tags;
        AnalyzedCount = sources.Count(s => s.Keys is not null);
        _entries = [.. sources.Select(s => s.Entry)];
        _entryById = new Dictionary<string, int>(_entries.Length, StringComparer.Ordinal);
        for (var e = 0; e < _entries.Length; e++)
        {
            _entryById[_entries[e].Id] = e;
        }

        var termTotal = sources.Sum(s => s.Count);
        _entryTerms = new int[_entries.Length + 1];
        for (var e = 0; e < sources.Length; e++)
        {
            _entryTerms[e + 1] = _entryTerms[e] + sources[e].Count;
        }

        // Global term ids (written where the source keeps each term, sorted below), and per term the
        // number of entries using it (an entry's terms are distinct).
        _localTerm = new int[termTotal];
        _termIds = new Dictionary<string, int>(previous?.TermCount ?? 0, StringComparer.Ordinal);
        var keys = new List<string>(previous?.TermCount ?? 0);
        var frequency = new List<int>(previous?.TermCount ?? 0);
        var reused = new int[previous?.TermCount ?? 0]; // previous term id → new id + 1 (0: not seen yet)
        for (var e = 0; e < sources.Length; e++)
        {
            var source = sources[e];
            for (var i = 0; i < source.Count; i++)
            {
                var offset = source.FirstSeenOffset(i);
                int id;
                if (source.Keys is not null)
                {
                    id = TermId(source.Keys[offset], keys, frequency);
                }
                else
                {
                    var old = previous!._localTerm[source.First + offset];
                    id = reused[old] - 1;
                    if (id < 0)
                    {
                        id = TermId(previous._termKeys[old], keys, frequency);
                        reused[old] = id + 1;
                    }
                }

                _localTerm[_entryTerms[e] + offset] = id;
                frequency[id]++;
            }
        }

        _termKeys = [.. keys];
        _entryFrequency = [.. frequency];
        _idf = [.. frequency.Select(df => Idf(_entries.Length, df))];
        _unseenIdf = Idf(_entries.Length, 0);

        var postingTotal = sources.Sum(s => s.PostingCount);
        var documentTotal = sources.Sum(s => s.PhrasingCount + 1);
        _phrasingCount = [.. sources.Select(s => s.PhrasingCount)];
        _entryDocs = new int[_entries.Length + 1];
        _docMass = new float[documentTotal];
        _phrasingText = new string[documentTotal];
        _firstSeen = new int[termTotal];
        _localInPhrasing = new bool[termTotal];
        _localStart = new int[termTotal + 1];
        _localDoc = new short[postingTotal];
        _localWeight = new float[postingTotal];
        var order = new int[sources.Length == 0 ? 0 : sources.Max(s => s.Count)];
        var position = new int[order.Length];
        var ids = new int[order.Length];
        var k = 0;
        var p = 0;
        for (var e = 0; e < sources.Length; e++)
        {
            var source = sources[e];
            var phrasings = source.PhrasingCount;
            var documentStart = _entryDocs[e];
            _entryDocs[e + 1] = documentStart + phrasings + 1;
            var d = documentStart;
            foreach (var phrasing in source.Entry.Phrasings())
            {
                _phrasingText[d++] = phrasing;
            }

            _phrasingText[d] = string.Empty;

            // The entry's terms sorted by global id, each with its documents in ascending order:
            // the document masses add up in that order, as they always have. A kept entry's terms
            // mostly keep their order, and then need no sorting.
            for (var i = 0; i < source.Count; i++)
            {
                order[i] = i;
            }

            if (!IsIncreasing(_localTerm, k, source.Count))
            {
                Array.Copy(_localTerm, k, ids, 0, source.Count);
                Array.Sort(ids, order, 0, source.Count);
                Array.Copy(ids, 0, _localTerm, k, source.Count);
            }

            for (var j = 0; j < source.Count; j++)
            {
                var offset = order[j];
                position[offset] = j;
                var id = _localTerm[k];
                _localStart[k] = p;
                var inPhrasing = false;
                for (var q = source.Start[source.First + offset]; q < source.Start[source.First + offset + 1]; q++)
                {
                    var doc = source.Docs[q];
                    var weight = source.Weights[q];
                    _docMass[documentStart + doc] += weight * _idf[id];
                    inPhrasing |= doc < phrasings;
                    _localDoc[p] = doc;
                    _localWeight[p] = weight;
                    p++;
                }

                _localInPhrasing[k] = inPhrasing;
                k++;
            }

            for (var i = 0; i < source.Count; i++)
            {
                _firstSeen[_entryTerms[e] + i] = position[source.FirstSeenOffset(i)];
            }
        }

        _localStart[k] = p;
        (_postStart, _postEntry) = BuildPostings();
    }

    /// <summary>
    /// An index of <paramref name="entries"/> that analyzes only the entries this one does not hold
    /// (the same object): the others' analysis is read from this index. Only valid when the entries'
    /// tags are this index's <see cref="Tags"/>, so that the analyzer is the same.
    /// </summary>
    public PolicyIndex With(IReadOnlyList<PolicyEntry> entries)
    {
        var sources = new EntryTerms[entries.Count];
        for (var i = 0; i < sources.Length; i++)
        {
            var entry = entries[i];
            sources[i] = _entryById.TryGetValue(entry.Id, out var e) && ReferenceEquals(_entries[e], entry)
                ? new EntryTerms(entry, _phrasingCount[e], _entryTerms[e], _entryTerms[e + 1] - _entryTerms[e], _localStart, _localDoc, _localWeight, null, _firstSeen)
                : EntryTerms.Analyze(entry, Analyzer);
        }

        return new PolicyIndex(Analyzer, Tags, sources, this);
    }

    public TextAnalyzer Analyzer { get; }

    /// <summary>The distinct tags of the entries, in order of first use: the analyzer's extra dictionary words.</summary>
    public IReadOnlyList<string> Tags { get; }

    /// <summary>How many entries were analyzed to build this index (the others were reused from the index before it).</summary>
    public int AnalyzedCount { get; }

    public int Count => _entries.Length;

    public int TermCount => _termIds.Count;

    public IReadOnlyList<PolicyEntry> Entries => _entries;

    public PolicyEntry? Find(string id) => _entryById.TryGetValue(id, out var e) ? _entries[e] : null;

    /// <summary>
    /// The entries ranked for a question, best first, at most <paramref name="take"/>. Candidates
    /// are gathered with <paramref name="gather"/> (the whole message) and each is scored against
    /// every one of <paramref name="segments"/> (parts of it), keeping its best.
    /// </summary>
    public IReadOnlyList<SearchCandidate> Rank(AnalyzedText gather, IReadOnlyList<AnalyzedText> segments, SearchOptions options, int take)
    {
        var scratch = Scratch.For(this);
        try
        {
            var queries = segments.Select(Vector).Where(q => q.Terms.Length > 0).ToList();
            if (queries.Count == 0)
            {
                return [];
            }

            Gather(Vector(gather), scratch);
            var scored = new List<Scored>();
            foreach (var e in scratch.ShortList(ShortListSize))
            {
                Scored? best = null;
                foreach (var query in queries)
                {
                    var score = ScoreEntry(e, query, options, scratch);
                    if (best is null || score.Confidence > best.Value.Confidence)
                    {
                        best = score;
                    }
                }

                scored.Add(best!.Value);
            }

            return [.. scored
                .OrderByDescending(s => s.Confidence)
                .ThenBy(s => s.Entry)
                .Take(take)
                .Select(s => new SearchCandidate(
                    _entries[s.Entry],
                    Math.Round(s.Confidence, 4),
                    s.BestDoc >= 0 ? _phrasingText[_entryDocs[s.Entry] + s.BestDoc] : _entries[s.Entry].Question,
                    MatchedTerms(s)))];
        }
        finally
        {
            scratch.Reset();
        }
    }

    /// <summary>A question's known terms (sorted by id) with IDF-weighted weights, and its whole mass, unknown terms included.</summary>
    private QueryVector Vector(AnalyzedText text)
    {
        var terms = new List<(int Id, float Weight)>(text.Terms.Count);
        var mass = 0f;
        foreach (var term in text.Terms)
        {
            if (_termIds.TryGetValue(term.Key, out var id))
            {
                var weight = term.Weight * _idf[id];
                mass += weight;
                terms.Add((id, weight));
            }
            else
            {
                mass += term.Weight * _unseenIdf;
            }
        }

        terms.Sort((a, b) => a.Id.CompareTo(b.Id));
        return new QueryVector([.. terms], mass);
    }

    /// <summary>Phase one: entries sharing the question's terms, rarest terms first, within the posting budget.</summary>
    private void Gather(QueryVector query, Scratch scratch)
    {
        var byRarity = query.Terms.OrderBy(t => _entryFrequency[t.Id]);
        var read = 0;
        foreach (var (id, weight) in byRarity)
        {
            var length = _postStart[id + 1] - _postStart[id];
            if (read > 0 && read + length > PostingBudget)
            {
                break;
            }

            read += length;
            for (var p = _postStart[id]; p < _postStart[id + 1]; p++)
            {
                scratch.Touch(_postEntry[p], weight);
            }
        }
    }

    /// <summary>Phase two: one entry scored exactly against one question, through the entry's own index.</summary>
    private Scored ScoreEntry(int e, QueryVector query, SearchOptions options, Scratch scratch)
    {
        var phrasings = _phrasingCount[e];
        var docMatched = scratch.DocMatched;
        var docQuestion = scratch.DocQuestion;
        Array.Clear(docMatched, 0, phrasings + 1);
        Array.Clear(docQuestion, 0, phrasings + 1);
        var unionMatched = 0f;
        var low = _entryTerms[e];
        var high = _entryTerms[e + 1];
        foreach (var (id, weight) in query.Terms)
        {
            // Query terms are sorted too, so each search starts where the last one ended.
            var k = Array.BinarySearch(_localTerm, low, high - low, id);
            if (k < 0)
            {
                low = ~k;
                continue;
            }

            low = k + 1;
            unionMatched += _localInPhrasing[k] ? weight : 0;
            var idf = _idf[id];
            for (var p = _localStart[k]; p < _localStart[k + 1]; p++)
            {
                docMatched[_localDoc[p]] += _localWeight[p] * idf;
                docQuestion[_localDoc[p]] += weight;
            }
        }

        // Compared in log space (one logarithm per side, no powers); the winner is raised once.
        var alpha = (float)options.PhrasingCoverageWeight;
        var beta = (float)options.QuestionCoverageWeight;
        var bestLog = float.NegativeInfinity;
        var bestDoc = -1;
        var documentStart = _entryDocs[e];
        for (var d = 0; d < phrasings; d++)
        {
            if (docMatched[d] <= 0)
            {
                continue;
            }

            var log = (alpha * MathF.Log(MathF.Min(1f, docMatched[d] / _docMass[documentStart + d])))
                + (beta * MathF.Log(MathF.Min(1f, docQuestion[d] / query.Mass)));
            if (log > bestLog)
            {
                bestLog = log;
                bestDoc = d;
            }
        }

        var best = bestDoc >= 0 ? Math.Exp(bestLog) : 0.0;
        var answerCoverage = Math.Min(1.0, docQuestion[phrasings] / query.Mass);
        var unionCoverage = Math.Min(1.0, unionMatched / query.Mass);
        var confidence = ((1 - options.AnswerTextWeight - options.EntryCoverageWeight) * best)
            + (options.EntryCoverageWeight * unionCoverage)
            + (options.AnswerTextWeight * answerCoverage);
        return new Scored(e, confidence, bestDoc, query);
    }

    /// <summary>The question's terms found in the winning phrasing or the answer, heaviest first, none inside another.</summary>
    private List<string> MatchedTerms(Scored scored)
    {
        var answer = (short)_phrasingCount[scored.Entry];
        var matched = new List<string>();
        foreach (var (id, _) in scored.Query.Terms.OrderByDescending(t => t.Weight))
        {
            var k = Array.BinarySearch(_localTerm, _entryTerms[scored.Entry], _entryTerms[scored.Entry + 1] - _entryTerms[scored.Entry], id);
            if (k < 0)
            {
                continue;
            }

            // Heaviest first, so a character or bigram inside a term already listed adds nothing to read.
            var name = _termKeys[id][2..];
            if (matched.Exists(m => m.Contains(name, StringComparison.Ordinal)))
            {
                continue;
            }

            for (var p = _localStart[k]; p < _localStart[k + 1]; p++)
            {
                if (_localDoc[p] == scored.BestDoc || _localDoc[p] == answer)
                {
                    matched.Add(name);
                    break;
                }
            }
        }

        return matched;
    }

    private (int[] Start, int[] Entry) BuildPostings()
    {
        var start = new int[_termIds.Count + 1];
        for (var k = 0; k < _localTerm.Length; k++)
        {
            start[_localTerm[k] + 1] += _localInPhrasing[k] ? 1 : 0;
        }

        for (var t = 0; t < _termIds.Count; t++)
        {
            start[t + 1] += start[t];
        }

        var fill = start[..^1];
        var postings = new int[start[^1]];
        for (var e = 0; e < _entries.Length; e++)
        {
            for (var k = _entryTerms[e]; k < _entryTerms[e + 1]; k++)
            {
                if (_localInPhrasing[k])
                {
                    postings[fill[_localTerm[k]]++] = e;
                }
            }
        }

        return (start, postings);
    }

    private static bool IsIncreasing(int[] values, int start, int count)
    {
        for (var i = start + 1; i < start + count; i++)
        {
            if (values[i - 1] > values[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The id of a term key, numbering it next when it is new.</summary>
    private int TermId(string key, List<string> keys, List<int> frequency)
    {
        ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(_termIds, key, out var exists);
        if (!exists)
        {
            id = keys.Count;
            keys.Add(key);
            frequency.Add(0);
        }

        return id;
    }

    /// <summary>BM25's inverse document frequency (always positive).</summary>
    private static float Idf(int documents, int frequency) =>
        (float)Math.Log(1 + ((documents - frequency + 0.5) / (frequency + 0.5)));

    private readonly record struct QueryVector((int Id, float Weight)[] Terms, float Mass);

    private readonly record struct Scored(int Entry, double Confidence, int BestDoc, QueryVector Query);

    /// <summary>Per-thread working arrays, reused across searches so a search allocates little.</summary>
    private sealed class Scratch
    {
        [ThreadStatic]
        private static Scratch? _current;

        private PolicyIndex? _owner;
        private float[] _partial = [];
        private readonly List<int> _touched = [];
        private readonly PriorityQueue<int, float> _best = new();

        public float[] DocMatched { get; private set; } = [];

        public float[] DocQuestion { get; private set; } = [];

        public static Scratch For(PolicyIndex index)
        {
            var scratch = _current ??= new Scratch();
            if (!ReferenceEquals(scratch._owner, index))
            {
                scratch._owner = index;
                if (scratch._partial.Length < index.Count)
                {
                    scratch._partial = new float[index.Count];
                }

                var documents = index._phrasingCount.DefaultIfEmpty(0).Max() + 1;
                if (scratch.DocMatched.Length < documents)
                {
                    scratch.DocMatched = new float[documents];
                    scratch.DocQuestion = new float[documents];
                }
            }

            return scratch;
        }

        public void Touch(int entry, float weight)
        {
            if (_partial[entry] == 0)
            {
                _touched.Add(entry);
            }

            _partial[entry] += weight;
        }

        /// <summary>The entries with the most of the question's mass found in phase one.</summary>
        public List<int> ShortList(int size)
        {
            foreach (var e in _touched)
            {
                if (_best.Count < size)
                {
                    _best.Enqueue(e, _partial[e]);
                }
                else if (_best.TryPeek(out _, out var lowest) && _partial[e] > lowest)
                {
                    _best.DequeueEnqueue(e, _partial[e]);
                }
            }

            var list = new List<int>(_best.Count);
            while (_best.TryDequeue(out var e, out _))
            {
                list.Add(e);
            }

            return list;
        }

        public void Reset()
        {
            foreach (var e in _touched)
            {
                _partial[e] = 0;
            }

            _touched.Clear();
            _best.Clear();
        }
    }
}
