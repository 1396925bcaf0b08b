using BenchmarkDotNet.Attributes;
using HotlineBot.Knowledge.Search;

namespace HotlineBot.Knowledge.Benchmarks;

/// <summary>
/// <see cref="PolicySearch.Search"/> (text analysis, ranking and banding) over the query set. One
/// operation is one pass over the whole set; the Mean/query column divides by its size.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PerQueryConfig))]
public class SearchBenchmarks
{
    private PolicySearch _search = null!;
    private string[] _queries = [];

    [ParamsAllValues]
    public CorpusKind Corpus { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _search = Workload.BuildSearch(Workload.Entries(Corpus));
        _queries = [.. QuerySet.Texts];
    }

    /// <summary>Searches every query once; returns how many were answered, so nothing is optimized away.</summary>
    [Benchmark]
    public int Search()
    {
        var answered = 0;
        foreach (var query in _queries)
        {
            answered += _search.Search(query).Band == SearchBand.Answer ? 1 : 0;
        }

        return answered;
    }
}
