using BenchmarkDotNet.Attributes;
using HotlineBot.Knowledge.Text;

namespace HotlineBot.Knowledge.Benchmarks;

/// <summary>
/// <see cref="TextAnalyzer.Analyze"/> alone over the query set, with the analyzer the seed search
/// builds (seed language data plus the entries' tags). One operation is one pass over the set.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PerQueryConfig))]
public class AnalyzeBenchmarks
{
    private TextAnalyzer _analyzer = null!;
    private string[] _queries = [];

    [GlobalSetup]
    public void Setup()
    {
        var seeds = Workload.Seeds;
        _analyzer = new TextAnalyzer(seeds.Language, Workload.SeedEntries.SelectMany(e => e.Tags));
        _queries = [.. QuerySet.Texts];
    }

    /// <summary>Analyzes every query once; returns the number of terms, so nothing is optimized away.</summary>
    [Benchmark]
    public int Analyze()
    {
        var terms = 0;
        foreach (var query in _queries)
        {
            terms += _analyzer.Analyze(query).Terms.Count;
        }

        return terms;
    }
}
