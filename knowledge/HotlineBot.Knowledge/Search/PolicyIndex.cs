using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Text;

namespace HotlineBot.Knowledge.Search;

/// <summary>
/// An immutable inverted index over the published entries. Each phrasing (question or alternate)
/// is a document; each answer text is a document of its own that counts for less. Terms are
/// weighted by BM25's inverse document frequency times the analyzer's weight per kind; an entry's
/// confidence is how much of its best phrasing the question covers and how much of the question
/// that phrasing covers (both IDF-weighted, so 0..1), blended with how much of the question the
/// answer text covers. Built off to the side and swapped in whole by <see cref="PolicySearch"/>.
/// </summary>
internal sealed class PolicyIndex
{
    private readonly PolicyEntry[] _entries;
    private readonly Dictionary<string, int> _entryById;
    private readonly Dictionary<string, int> _termIds;
    private readonly string[] _termNames;
    private readonly float[] _idf;
    private readonly float _unseenIdf;

    // Postings in compressed rows: the documents of term t are _postDoc[_postStart[t].._postStart[t+1]].
    private readonly int[] _postStart;
    private readonly int[] _postDoc;
    private readonly float[] _postWeight;

    // Documents 0.._phrasingCount-1 are phrasings; _phrasingCount + e is entry e's answer text;
    // _phrasingCount + Count + e is all of entry e's phrasings together.
    private readonly int _phrasingCount;
    private readonly int[] _docEntry;
    private readonly float[] _docMass;
    private readonly string[] _phrasingText;

    // Each document's term ids, sorted: the matched terms of a candidate are read from here.
    private readonly int[] _docTermStart;
    private readonly int[] _docTerms;

    public PolicyIndex(IEnumerable<PolicyEntry> entries, TextAnalyzer analyzer)
    {
        Analyzer = analyzer;
        _entries = [.. entries];
        _entryById = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var e = 0; e < _entries.Length; e++)
        {
            _entryById[_entries[e].Id] = e;
        }

        var docs = new List<(int Entry, string Text, Dictionary<string, float> Terms)>();
        var unions = new Dictionary<string, float>[_entries.Length];
        foreach (var (entry, e) in _entries.Select((entry, e) => (entry, e)))
        {
            unions[e] = new Dictionary<string, float>(StringComparer.Ordinal);
            foreach (var phrasing in entry.Phrasings())
            {
                var terms = TermWeights(analyzer.Analyze(phrasing));
                docs.Add((e, phrasing, terms));
                foreach (var (key, weight) in terms)
                {
                    unions[e][key] = Math.Max(weight, unions[e].GetValueOrDefault(key));
                }
            }
        }

        _phrasingCount = docs.Count;
        foreach (var (entry, e) in _entries.Select((entry, e) => (entry, e)))
        {
            docs.Add((e, entry.Answer, TermWeights(analyzer.Analyze(entry.Answer))));
        }

        foreach (var (_, e) in _entries.Select((entry, e) => (entry, e)))
        {
            docs.Add((e, string.Empty, unions[e]));
        }

        // Frequency counts entries, not documents: a word said in ten alternates of one entry
        // still tells that entry apart from the others.
        _termIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var entriesWithTerm = new List<HashSet<int>>();
        var docTermIds = new int[docs.Count][];
        for (var d = 0; d < docs.Count; d++)
        {
            var ids = new int[docs[d].Terms.Count];
            var k = 0;
            foreach (var key in docs[d].Terms.Keys)
            {
                if (!_termIds.TryGetValue(key, out var id))
                {
                    id = _termIds.Count;
                    _termIds[key] = id;
                    entriesWithTerm.Add([]);
                }

                entriesWithTerm[id].Add(docs[d].Entry);
                ids[k++] = id;
            }

            Array.Sort(ids);
            docTermIds[d] = ids;
        }

        _termNames = new string[_termIds.Count];
        foreach (var (key, id) in _termIds)
        {
            _termNames[id] = key[2..];
        }

        var n = docs.Count;
        _idf = [.. entriesWithTerm.Select(entries => Idf(_entries.Length, entries.Count))];
        _unseenIdf = Idf(_entries.Length, 0);

        _postStart = new int[_termIds.Count + 1];
        foreach (var ids in docTermIds)
        {
            foreach (var id in ids)
            {
                _postStart[id + 1]++;
            }
        }

        for (var t = 0; t < _termIds.Count; t++)
        {
            _postStart[t + 1] += _postStart[t];
        }

        var fill = _postStart[..^1];
        _postDoc = new int[_postStart[^1]];
        _postWeight = new float[_postStart[^1]];
        _docEntry = new int[n];
        _docMass = new float[n];
        _docTermStart = new int[n + 1];
        _phrasingText = new string[_phrasingCount];
        for (var d = 0; d < n; d++)
        {
            _docEntry[d] = docs[d].Entry;
            _docTermStart[d + 1] = _docTermStart[d] + docTermIds[d].Length;
            if (d < _phrasingCount)
            {
                _phrasingText[d] = docs[d].Text;
            }

            foreach (var (key, weight) in docs[d].Terms)
            {
                var id = _termIds[key];
                var slot = fill[id]++;
                _postDoc[slot] = d;
                _postWeight[slot] = weight * _idf[id];
                _docMass[d] += weight * _idf[id];
            }
        }

        _docTerms = docTermIds.SelectMany(ids => ids).ToArray();
    }

    public TextAnalyzer Analyzer { get; }

    public int Count => _entries.Length;

    public int DocumentCount => _docEntry.Length;

    public int TermCount => _termIds.Count;

    public IReadOnlyList<PolicyEntry> Entries => _entries;

    public PolicyEntry? Find(string id) => _entryById.TryGetValue(id, out var e) ? _entries[e] : null;

    /// <summary>The entries ranked for an analyzed question, best first, at most <paramref name="take"/>.</summary>
    public IReadOnlyList<SearchCandidate> Rank(AnalyzedText question, SearchOptions options, int take)
    {
        var scratch = Scratch.For(this);
        var queryMass = 0f;
        var queryTerms = new List<(int Id, float Weight)>(question.Terms.Count);
        foreach (var term in question.Terms)
        {
            if (_termIds.TryGetValue(term.Key, out var id))
            {
                queryMass += term.Weight * _idf[id];
                queryTerms.Add((id, term.Weight * _idf[id]));
            }
            else
            {
                queryMass += term.Weight * _unseenIdf;
            }
        }

        if (queryTerms.Count == 0 || queryMass <= 0)
        {
            return [];
        }

        try
        {
            foreach (var (id, queryWeight) in queryTerms)
            {
                for (var p = _postStart[id]; p < _postStart[id + 1]; p++)
                {
                    var d = _postDoc[p];
                    if (scratch.DocQuery[d] == 0)
                    {
                        scratch.TouchedDocs.Add(d);
                    }

                    scratch.DocMatched[d] += _postWeight[p];
                    scratch.DocQuery[d] += queryWeight;
                }
            }

            return Score(scratch, queryMass, queryTerms, options, take);
        }
        finally
        {
            scratch.Reset();
        }
    }

    private List<SearchCandidate> Score(Scratch scratch, float queryMass, List<(int Id, float Weight)> queryTerms, SearchOptions options, int take)
    {
        var alpha = options.PhrasingCoverageWeight;
        var beta = options.QuestionCoverageWeight;
        foreach (var d in scratch.TouchedDocs)
        {
            var e = _docEntry[d];
            if (!scratch.EntrySeen[e])
            {
                scratch.EntrySeen[e] = true;
                scratch.EntryBestDoc[e] = -1;
                scratch.TouchedEntries.Add(e);
            }

            var questionCoverage = Math.Min(1.0, scratch.DocQuery[d] / queryMass);
            if (d >= _phrasingCount + _entries.Length)
            {
                scratch.EntryUnion[e] = (float)questionCoverage;
                continue;
            }

            if (d >= _phrasingCount)
            {
                scratch.EntryAnswer[e] = (float)questionCoverage;
                continue;
            }

            var phrasingCoverage = Math.Min(1.0, scratch.DocMatched[d] / _docMass[d]);
            var score = (float)(Math.Pow(phrasingCoverage, alpha) * Math.Pow(questionCoverage, beta));
            if (score > scratch.EntryBest[e])
            {
                scratch.EntryBest[e] = score;
                scratch.EntryBestDoc[e] = d;
            }
        }

        var answerWeight = options.AnswerTextWeight;
        var unionWeight = options.EntryCoverageWeight;
        var top = new List<(int Entry, double Confidence)>(take + 1);
        foreach (var e in scratch.TouchedEntries)
        {
            var confidence = ((1 - answerWeight - unionWeight) * scratch.EntryBest[e])
                + (unionWeight * scratch.EntryUnion[e])
                + (answerWeight * scratch.EntryAnswer[e]);
            if (top.Count == take && confidence <= top[^1].Confidence)
            {
                continue;
            }

            var at = top.FindIndex(c => confidence > c.Confidence || (confidence == c.Confidence && e < c.Entry));
            top.Insert(at < 0 ? top.Count : at, (e, confidence));
            if (top.Count > take)
            {
                top.RemoveAt(take);
            }
        }

        return top.Select(c =>
        {
            var bestDoc = scratch.EntryBestDoc[c.Entry];
            return new SearchCandidate(
                _entries[c.Entry],
                Math.Round(c.Confidence, 4),
                bestDoc >= 0 ? _phrasingText[bestDoc] : _entries[c.Entry].Question,
                MatchedTerms(queryTerms, bestDoc, _phrasingCount + c.Entry));
        }).ToList();
    }

    private List<string> MatchedTerms(List<(int Id, float Weight)> queryTerms, int phrasingDoc, int answerDoc)
    {
        var matched = new List<string>();
        foreach (var (id, _) in queryTerms.OrderByDescending(t => t.Weight))
        {
            // 加班 the word and 加班 the bigram read the same: list it once.
            if (((phrasingDoc >= 0 && HasTerm(phrasingDoc, id)) || HasTerm(answerDoc, id)) && !matched.Contains(_termNames[id]))
            {
                matched.Add(_termNames[id]);
            }
        }

        return matched;
    }

    private bool HasTerm(int doc, int termId) =>
        Array.BinarySearch(_docTerms, _docTermStart[doc], _docTermStart[doc + 1] - _docTermStart[doc], termId) >= 0;

    private static Dictionary<string, float> TermWeights(AnalyzedText text)
    {
        var weights = new Dictionary<string, float>(text.Terms.Count, StringComparer.Ordinal);
        foreach (var term in text.Terms)
        {
            weights[term.Key] = term.Weight;
        }

        return weights;
    }

    /// <summary>BM25's inverse document frequency (always positive).</summary>
    private static float Idf(int documents, int frequency) =>
        (float)Math.Log(1 + ((documents - frequency + 0.5) / (frequency + 0.5)));

    /// <summary>Per-thread accumulators, reused across searches so a search allocates little.</summary>
    private sealed class Scratch
    {
        [ThreadStatic]
        private static Scratch? _current;

        private PolicyIndex? _owner;

        public float[] DocMatched = [];
        public float[] DocQuery = [];
        public float[] EntryBest = [];
        public float[] EntryAnswer = [];
        public float[] EntryUnion = [];
        public int[] EntryBestDoc = [];
        public bool[] EntrySeen = [];
        public readonly List<int> TouchedDocs = [];
        public readonly List<int> TouchedEntries = [];

        public static Scratch For(PolicyIndex index)
        {
            var scratch = _current ??= new Scratch();
            if (!ReferenceEquals(scratch._owner, index))
            {
                scratch._owner = index;
                if (scratch.DocMatched.Length < index.DocumentCount)
                {
                    scratch.DocMatched = new float[index.DocumentCount];
                    scratch.DocQuery = new float[index.DocumentCount];
                }

                if (scratch.EntryBest.Length < index.Count)
                {
                    scratch.EntryBest = new float[index.Count];
                    scratch.EntryAnswer = new float[index.Count];
                    scratch.EntryUnion = new float[index.Count];
                    scratch.EntryBestDoc = new int[index.Count];
                    scratch.EntrySeen = new bool[index.Count];
                }
            }

            return scratch;
        }

        public void Reset()
        {
            foreach (var d in TouchedDocs)
            {
                DocMatched[d] = 0;
                DocQuery[d] = 0;
            }

            foreach (var e in TouchedEntries)
            {
                EntryBest[e] = 0;
                EntryAnswer[e] = 0;
                EntryUnion[e] = 0;
                EntrySeen[e] = false;
            }

            TouchedDocs.Clear();
            TouchedEntries.Clear();
        }
    }
}
