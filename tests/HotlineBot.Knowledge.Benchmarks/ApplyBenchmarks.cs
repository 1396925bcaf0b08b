using BenchmarkDotNet.Attributes;
using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Search;

namespace HotlineBot.Knowledge.Benchmarks;

/// <summary>
/// What one admin edit costs before it reaches search: <see cref="PolicySearch.Apply"/> of one
/// edited entry (only that entry analyzed; the index's arrays assembled again) against building the
/// whole search anew over the same entries, which is what <see cref="PolicySearch.Load"/> costs.
/// </summary>
[MemoryDiagnoser]
public class ApplyBenchmarks
{
    private PolicySearch _search = null!;
    private PolicyEntry[] _versions = [];
    private IReadOnlyList<PolicyEntry> _edited = [];
    private int _next;

    [ParamsAllValues]
    public CorpusKind Corpus { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var entries = Workload.Entries(Corpus);
        var target = Workload.EditTarget(entries);
        _search = Workload.BuildSearch(entries);
        _versions = [Workload.Edit(target), target];
        _edited = [.. entries.Select(e => e.Id == target.Id ? _versions[0] : e)];
    }

    /// <summary>Applies the edited entry, then the original one, and so on: each is one new entry to analyze.</summary>
    [Benchmark]
    public int ApplyOneEntry()
    {
        _search.Apply([_versions[_next++ % _versions.Length]]);
        return _search.Count;
    }

    [Benchmark(Baseline = true)]
    public PolicySearch FullRebuild() => Workload.BuildSearch(_edited);
}
