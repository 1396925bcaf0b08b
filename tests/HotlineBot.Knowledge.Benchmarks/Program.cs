using BenchmarkDotNet.Running;
using HotlineBot.Knowledge.Benchmarks;

// `percentiles [--rounds N]` runs the per-query latency harness; anything else goes to BenchmarkDotNet
// (for example `--filter '*'`, `--job short`, `--list flat`).
if (args is ["percentiles", .. var rest])
{
    return PercentileHarness.Run(rest);
}

var summaries = BenchmarkSwitcher.FromAssembly(typeof(SearchBenchmarks).Assembly).Run(args);
return summaries.Any(s => s.HasCriticalValidationErrors) ? 1 : 0;
