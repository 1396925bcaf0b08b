using BenchmarkDotNet.Attributes;
using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Loading;
using HotlineBot.Knowledge.Search;

namespace HotlineBot.Knowledge.Benchmarks;

/// <summary>
/// Constructing <see cref="PolicySearch"/> from the entries: filtering the published ones, the
/// analyzer with their tags, and the index (every phrasing and answer analyzed). This is the cost
/// of a full load, which is what every content change costs today.
/// </summary>
[MemoryDiagnoser]
public class BuildIndexBenchmarks
{
    private readonly SearchOptions _options = new();
    private IReadOnlyList<PolicyEntry> _entries = [];
    private LanguageData _language = new([], [], [], []);

    [ParamsAllValues]
    public CorpusKind Corpus { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _entries = Workload.Entries(Corpus);
        _language = Workload.Seeds.Language;
    }

    [Benchmark]
    public PolicySearch BuildIndex() => new(_language, _options, _entries);
}
