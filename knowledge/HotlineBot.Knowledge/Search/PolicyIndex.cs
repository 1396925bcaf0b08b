using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Text;

namespace HotlineBot.Knowledge.Search;

/// <summary>
/// An immutable index over the published entries. Each phrasing (question or alternate) is a
/// document; so is each answer text, and each entry's phrasings taken together. Terms are weighted
/// by BM25's inverse document frequency (counted over entries) times the analyzer's weight per kind.
/// An entry's confidence blends how well its best phrasing and the question cover each other, how
/// much of the question its phrasings cover together, and, for less, how much its answer covers.
/// <para>
/// A search runs in two phases so that it stays fast on large knowledge bases: the entries sharing
/// the question's rarest terms are gathered from entry-level postings (within a budget of postings,
/// rarest first), and only the best of them are scored exactly, phrasing by phrasing, from the
/// forward index. Built off to the side and swapped in whole by <see cref="PolicySearch"/>.
/// </para>
/// </summary>
internal sealed class PolicyIndex
{
    /// <summary>Postings read in the first phase at most (rarest terms first, the first term whole).</summary>
    private const int PostingBudget = 16_384;

    /// <summary>Entries scored exactly in the second phase.</summary>
    private const int ShortList = 48;

    private readonly PolicyEntry[] _entries;
    private readonly Dictionary<string, int> _entryById;
    private readonly Dictionary<string, int> _termIds;
    private readonly string[] _termNames;
    private readonly int[] _entryFrequency;
    private readonly float[] _idf;
    private readonly float _unseenIdf;

    // Forward index: document d's terms are _docTerms[_docStart[d].._docStart[d+1]], with weights.
    // Entry e owns phrasing documents _entryDocs[e].._entryDocs[e+1]-2, then its answer, then the union of its phrasings.
    private readonly int[] _entryDocs;
    private readonly int[] _docStart;
    private readonly int[] _docTerms;
    private readonly float[] _docWeights;
    private readonly string[] _phrasingText;

    // Entry-level postings (over the union documents): _postEntry[_postStart[t].._postStart[t+1]].
    private readonly int[] _postStart;
    private readonly int[] _postEntry;

    public PolicyIndex(IEnumerable<PolicyEntry> entries, TextAnalyzer analyzer)
    {
        Analyzer = analyzer;
        _entries = [.. entries];
        _entryById = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var e = 0; e < _entries.Length; e++)
        {
            _entryById[_entries[e].Id] = e;
        }

        _termIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var frequency = new List<int>();
        var lastEntry = new List<int>();
        var unionWeight = new List<float>();
        var docStart = new List<int> { 0 };
        var docTerms = new List<int>();
        var docWeights = new List<float>();
        var phrasings = new List<string>();
        _entryDocs = new int[_entries.Length + 1];

        void AddDocument(IReadOnlyList<Term> terms, int entry, List<int>? union)
        {
            var first = docTerms.Count;
            foreach (var term in terms)
            {
                if (!_termIds.TryGetValue(term.Key, out var id))
                {
                    id = _termIds.Count;
                    _termIds[term.Key] = id;
                    frequency.Add(0);
                    lastEntry.Add(-1);
                    unionWeight.Add(0);
                }

                if (lastEntry[id] != entry)
                {
                    lastEntry[id] = entry;
                    frequency[id]++;
                    unionWeight[id] = 0;
                    union?.Add(id);
                }

                unionWeight[id] = Math.Max(unionWeight[id], term.Weight);
                docTerms.Add(id);
                docWeights.Add(term.Weight);
            }

            SortSegment(docTerms, docWeights, first);
            docStart.Add(docTerms.Count);
        }

        for (var e = 0; e < _entries.Length; e++)
        {
            _entryDocs[e] = docStart.Count - 1;
            var union = new List<int>();
            foreach (var phrasing in _entries[e].Phrasings())
            {
                AddDocument(analyzer.Analyze(phrasing).Terms, e, union);
                phrasings.Add(phrasing);
            }

            // The union is read before the answer's terms join the entry's count.
            var unionWeights = union.ConvertAll(id => unionWeight[id]);
            AddDocument(analyzer.Analyze(_entries[e].Answer).Terms, e, union: null);
            phrasings.Add(string.Empty);
            var first = docTerms.Count;
            for (var i = 0; i < union.Count; i++)
            {
                docTerms.Add(union[i]);
                docWeights.Add(unionWeights[i]);
            }

            SortSegment(docTerms, docWeights, first);
            docStart.Add(docTerms.Count);
            phrasings.Add(string.Empty);
        }

        _entryDocs[_entries.Length] = docStart.Count - 1;
        _docStart = [.. docStart];
        _docTerms = [.. docTerms];
        _docWeights = [.. docWeights];
        _phrasingText = [.. phrasings];
        _entryFrequency = [.. frequency];
        _idf = [.. frequency.Select(df => Idf(_entries.Length, df))];
        _unseenIdf = Idf(_entries.Length, 0);
        _termNames = new string[_termIds.Count];
        foreach (var (key, id) in _termIds)
        {
            _termNames[id] = key[2..];
        }

        (_postStart, _postEntry) = BuildPostings();
    }

    public TextAnalyzer Analyzer { get; }

    public int Count => _entries.Length;

    public int DocumentCount => _docStart.Length - 1;

    public int TermCount => _termIds.Count;

    public IReadOnlyList<PolicyEntry> Entries => _entries;

    public PolicyEntry? Find(string id) => _entryById.TryGetValue(id, out var e) ? _entries[e] : null;

    /// <summary>The entries ranked for an analyzed question, best first, at most <paramref name="take"/>.</summary>
    public IReadOnlyList<SearchCandidate> Rank(AnalyzedText question, SearchOptions options, int take)
    {
        var scratch = Scratch.For(this);
        try
        {
            var queryMass = 0f;
            foreach (var term in question.Terms)
            {
                if (_termIds.TryGetValue(term.Key, out var id))
                {
                    var weight = term.Weight * _idf[id];
                    queryMass += weight;
                    scratch.QueryWeight[id] = weight;
                    scratch.QueryTerms.Add(id);
                }
                else
                {
                    queryMass += term.Weight * _unseenIdf;
                }
            }

            if (scratch.QueryTerms.Count == 0 || queryMass <= 0)
            {
                return [];
            }

            Gather(scratch);
            var shortList = scratch.ShortList(ShortList);
            var scored = new List<(int Entry, double Confidence, int BestDoc)>(shortList.Count);
            foreach (var e in shortList)
            {
                scored.Add(ScoreEntry(e, scratch.QueryWeight, queryMass, options));
            }

            return [.. scored
                .OrderByDescending(s => s.Confidence)
                .ThenBy(s => s.Entry)
                .Take(take)
                .Select(s => new SearchCandidate(
                    _entries[s.Entry],
                    Math.Round(s.Confidence, 4),
                    s.BestDoc >= 0 ? _phrasingText[s.BestDoc] : _entries[s.Entry].Question,
                    MatchedTerms(scratch.QueryWeight, s.BestDoc, AnswerDoc(s.Entry))))];
        }
        finally
        {
            scratch.Reset();
        }
    }

    /// <summary>Phase one: entries sharing the question's terms, rarest terms first, within the posting budget.</summary>
    private void Gather(Scratch scratch)
    {
        scratch.QueryTerms.Sort((a, b) => _entryFrequency[a].CompareTo(_entryFrequency[b]));
        var read = 0;
        foreach (var id in scratch.QueryTerms)
        {
            var length = _postStart[id + 1] - _postStart[id];
            if (read > 0 && read + length > PostingBudget)
            {
                break;
            }

            read += length;
            var weight = scratch.QueryWeight[id];
            for (var p = _postStart[id]; p < _postStart[id + 1]; p++)
            {
                scratch.Touch(_postEntry[p], weight);
            }
        }
    }

    /// <summary>Phase two: one entry scored exactly from the forward index.</summary>
    private (int Entry, double Confidence, int BestDoc) ScoreEntry(int e, float[] queryWeight, float queryMass, SearchOptions options)
    {
        var best = 0.0;
        var bestDoc = -1;
        var answer = AnswerDoc(e);
        for (var d = _entryDocs[e]; d < answer; d++)
        {
            var (mass, matched, questionMatched) = Overlap(d, queryWeight);
            if (matched <= 0)
            {
                continue;
            }

            var score = Math.Pow(Math.Min(1.0, matched / mass), options.PhrasingCoverageWeight)
                * Math.Pow(Math.Min(1.0, questionMatched / queryMass), options.QuestionCoverageWeight);
            if (score > best)
            {
                best = score;
                bestDoc = d;
            }
        }

        var answerCoverage = Math.Min(1.0, Overlap(answer, queryWeight).QuestionMatched / queryMass);
        var unionCoverage = Math.Min(1.0, Overlap(answer + 1, queryWeight).QuestionMatched / queryMass);
        var confidence = ((1 - options.AnswerTextWeight - options.EntryCoverageWeight) * best)
            + (options.EntryCoverageWeight * unionCoverage)
            + (options.AnswerTextWeight * answerCoverage);
        return (e, confidence, bestDoc);
    }

    /// <summary>A document's IDF-weighted mass, the part of it the question holds, and the part of the question it holds.</summary>
    private (double Mass, double Matched, double QuestionMatched) Overlap(int doc, float[] queryWeight)
    {
        double mass = 0, matched = 0, questionMatched = 0;
        for (var i = _docStart[doc]; i < _docStart[doc + 1]; i++)
        {
            var id = _docTerms[i];
            var weight = _docWeights[i] * _idf[id];
            mass += weight;
            if (queryWeight[id] > 0)
            {
                matched += weight;
                questionMatched += queryWeight[id];
            }
        }

        return (mass, matched, questionMatched);
    }

    private int AnswerDoc(int entry) => _entryDocs[entry + 1] - 2;

    private List<string> MatchedTerms(float[] queryWeight, int phrasingDoc, int answerDoc)
    {
        var matched = new List<(string Name, float Weight)>();
        foreach (var doc in phrasingDoc >= 0 ? [phrasingDoc, answerDoc] : new[] { answerDoc })
        {
            for (var i = _docStart[doc]; i < _docStart[doc + 1]; i++)
            {
                var id = _docTerms[i];
                // 加班 the word and 加班 the bigram read the same: list it once.
                if (queryWeight[id] > 0 && !matched.Exists(m => m.Name == _termNames[id]))
                {
                    matched.Add((_termNames[id], queryWeight[id]));
                }
            }
        }

        return [.. matched.OrderByDescending(m => m.Weight).Select(m => m.Name)];
    }

    private (int[] Start, int[] Entry) BuildPostings()
    {
        var start = new int[_termIds.Count + 1];
        for (var e = 0; e < _entries.Length; e++)
        {
            var union = AnswerDoc(e) + 1;
            for (var i = _docStart[union]; i < _docStart[union + 1]; i++)
            {
                start[_docTerms[i] + 1]++;
            }
        }

        for (var t = 0; t < _termIds.Count; t++)
        {
            start[t + 1] += start[t];
        }

        var fill = start[..^1];
        var postings = new int[start[^1]];
        for (var e = 0; e < _entries.Length; e++)
        {
            var union = AnswerDoc(e) + 1;
            for (var i = _docStart[union]; i < _docStart[union + 1]; i++)
            {
                postings[fill[_docTerms[i]]++] = e;
            }
        }

        return (start, postings);
    }

    private static void SortSegment(List<int> terms, List<float> weights, int first)
    {
        var count = terms.Count - first;
        var ids = terms.GetRange(first, count).ToArray();
        var values = weights.GetRange(first, count).ToArray();
        Array.Sort(ids, values);
        for (var i = 0; i < count; i++)
        {
            terms[first + i] = ids[i];
            weights[first + i] = values[i];
        }
    }

    /// <summary>BM25's inverse document frequency (always positive).</summary>
    private static float Idf(int documents, int frequency) =>
        (float)Math.Log(1 + ((documents - frequency + 0.5) / (frequency + 0.5)));

    /// <summary>Per-thread working arrays, reused across searches so a search allocates little.</summary>
    private sealed class Scratch
    {
        [ThreadStatic]
        private static Scratch? _current;

        private PolicyIndex? _owner;
        private float[] _partial = [];
        private readonly List<int> _touched = [];
        private readonly PriorityQueue<int, float> _best = new();

        public float[] QueryWeight { get; private set; } = [];

        public List<int> QueryTerms { get; } = [];

        public static Scratch For(PolicyIndex index)
        {
            var scratch = _current ??= new Scratch();
            if (!ReferenceEquals(scratch._owner, index))
            {
                scratch._owner = index;
                if (scratch.QueryWeight.Length < index.TermCount)
                {
                    scratch.QueryWeight = new float[index.TermCount];
                }

                if (scratch._partial.Length < index.Count)
                {
                    scratch._partial = new float[index.Count];
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
            foreach (var id in QueryTerms)
            {
                QueryWeight[id] = 0;
            }

            foreach (var e in _touched)
            {
                _partial[e] = 0;
            }

            QueryTerms.Clear();
            _touched.Clear();
            _best.Clear();
        }
    }
}
