using System.Runtime.InteropServices;
using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Text;

namespace HotlineBot.Knowledge.Search;

/// <summary>
/// One entry's analyzed documents as <see cref="PolicyIndex"/> assembles them: its phrasings are
/// documents 0..P-1 and its answer document P; its distinct terms are numbered
/// <c>First..First+Count-1</c>, term i's documents (ascending) and analyzer weights being
/// <c>Docs/Weights[Start[i]..Start[i+1]]</c>. A freshly analyzed entry holds its own arrays with the
/// terms in the order its documents first use them (<see cref="Keys"/> names them); an entry kept
/// from an index points into that index's arrays, <see cref="FirstSeen"/> giving that order.
/// </summary>
internal readonly record struct EntryTerms(
    PolicyEntry Entry,
    int PhrasingCount,
    int First,
    int Count,
    int[] Start,
    short[] Docs,
    float[] Weights,
    string[]? Keys,
    int[]? FirstSeen)
{
    public int PostingCount => Start[First + Count] - Start[First];

    /// <summary>The offset (from <see cref="First"/>) of the i-th term the entry's documents use.</summary>
    public int FirstSeenOffset(int i) => FirstSeen is null ? i : FirstSeen[First + i];

    /// <summary>Analyzes every phrasing and the answer of an entry: the expensive part of building an index.</summary>
    public static EntryTerms Analyze(PolicyEntry entry, TextAnalyzer analyzer)
    {
        var documents = entry.Phrasings().Append(entry.Answer).ToList();
        if (documents.Count > short.MaxValue)
        {
            throw new ArgumentException($"Entry '{entry.Id}' has too many alternates.", nameof(entry));
        }

        var local = new Dictionary<string, int>(StringComparer.Ordinal);
        var postings = new List<List<(short Doc, float Weight)>>();
        for (var d = 0; d < documents.Count; d++)
        {
            foreach (var term in analyzer.Analyze(documents[d]).Terms)
            {
                ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(local, term.Key, out var exists);
                if (!exists)
                {
                    index = postings.Count;
                    postings.Add([]);
                }

                postings[index].Add(((short)d, term.Weight));
            }
        }

        var keys = new string[local.Count];
        foreach (var (key, index) in local)
        {
            keys[index] = key;
        }

        var start = new int[keys.Length + 1];
        var docs = new short[postings.Sum(p => p.Count)];
        var weights = new float[docs.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            start[i + 1] = start[i] + postings[i].Count;
            for (var j = 0; j < postings[i].Count; j++)
            {
                (docs[start[i] + j], weights[start[i] + j]) = postings[i][j];
            }
        }

        return new EntryTerms(entry, documents.Count - 1, 0, keys.Length, start, docs, weights, keys, null);
    }
}
