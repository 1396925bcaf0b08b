using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;
using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Search;

namespace HotlineBot.Knowledge.Benchmarks;

/// <summary>
/// Per-query latency percentiles, which BenchmarkDotNet's means do not show: every query of the
/// set is searched <c>rounds</c> times after a warm-up, each <see cref="PolicySearch.Search"/> call
/// timed on its own with <see cref="Stopwatch"/> (text analysis included). Also times the index
/// build and one-entry edits (<see cref="PolicySearch.Apply"/>), and measures the managed memory the
/// built search holds. Prints figures, asserts nothing.
/// </summary>
internal static class PercentileHarness
{
    private const int DefaultRounds = 20;
    private const int WarmupRounds = 5;
    private static readonly TimeSpan WarmupTime = TimeSpan.FromSeconds(2);
    private const int BuildRepeats = 3;
    private const int ApplyRepeats = 6;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static int Run(IReadOnlyList<string> args)
    {
        if (!TryParse(args, out var rounds))
        {
            Console.Error.WriteLine("usage: percentiles [--rounds N]");
            return 2;
        }

        Console.OutputEncoding = Encoding.UTF8;
        var queries = QuerySet.All;
        PrintEnvironment(queries.Count, rounds);

        var builds = new List<BuildRow>();
        var latencies = new List<LatencyRow>();
        foreach (var corpus in Enum.GetValues<CorpusKind>())
        {
            var entries = Workload.Entries(corpus);
            var (search, build) = MeasureBuild(corpus, entries);
            builds.Add(build);
            latencies.Add(MeasureSearch(corpus, search, queries, rounds));
            GC.KeepAlive(search);
        }

        Console.WriteLine();
        Console.WriteLine($"Search latency per query (μs), {queries.Count} queries × {rounds} rounds after at least {WarmupRounds} warm-up rounds and {WarmupTime.TotalSeconds:N0} s, text analysis included:");
        Console.WriteLine();
        PrintTable(
            ["corpus", "entries", "samples", "p50", "p90", "p99", "max", "mean"],
            latencies.Select(r => new[]
            {
                r.Corpus.ToString(), Count(r.Entries), Count(r.Stats.Samples),
                Micro(r.Stats.P50), Micro(r.Stats.P90), Micro(r.Stats.P99), Micro(r.Stats.Max), Micro(r.Stats.Mean),
            }));

        Console.WriteLine();
        Console.WriteLine("By query group (μs):");
        Console.WriteLine();
        PrintTable(
            ["corpus", "group", "queries", "p50", "p90", "p99", "max"],
            latencies.SelectMany(r => r.Groups.Select(g => new[]
            {
                r.Corpus.ToString(), g.Group, Count(g.Queries),
                Micro(g.Stats.P50), Micro(g.Stats.P90), Micro(g.Stats.P99), Micro(g.Stats.Max),
            })));

        Console.WriteLine();
        Console.WriteLine($"Index build (new PolicySearch from the entries; median of {BuildRepeats} after one warm-up build), managed memory it holds,");
        Console.WriteLine($"and one-entry edits (PolicySearch.Apply of one changed entry; median of {ApplyRepeats} after one warm-up pair):");
        Console.WriteLine();
        PrintTable(
            ["corpus", "entries", "phrasings", "build ms (median)", "build ms (min)", "index memory", "apply ms (median)", "apply ms (min)"],
            builds.Select(b => new[]
            {
                b.Corpus.ToString(), Count(b.Entries), Count(b.Phrasings),
                b.MedianMs.ToString("N1", Invariant), b.MinMs.ToString("N1", Invariant),
                (b.Bytes / (1024.0 * 1024.0)).ToString("N1", Invariant) + " MiB",
                b.ApplyMedianMs.ToString("N1", Invariant), b.ApplyMinMs.ToString("N1", Invariant),
            }));

        Console.WriteLine();
        Console.WriteLine("Bands over one round (answer / clarify / fallback):");
        foreach (var row in latencies)
        {
            Console.WriteLine($"  {row.Corpus}: {row.Answer} / {row.Clarify} / {row.Fallback}");
        }

        Console.WriteLine();
        Console.WriteLine("Slowest queries (p50 over the rounds, μs):");
        foreach (var row in latencies)
        {
            foreach (var (text, p50) in row.Slowest)
            {
                Console.WriteLine($"  {row.Corpus,-13} {Micro(p50),9}  {Shorten(text)}");
            }
        }

        if (LoadAverage() is { } end)
        {
            Console.WriteLine();
            Console.WriteLine($"Load average at end: {end}");
        }

        return 0;
    }

    /// <summary>The system load average on Linux, or null elsewhere.</summary>
    private static string? LoadAverage()
    {
        const string LoadAverageFile = "/proc/loadavg";
        return File.Exists(LoadAverageFile) ? string.Join(' ', File.ReadAllText(LoadAverageFile).Split(' ').Take(3)) : null;
    }

    private static (PolicySearch Search, BuildRow Row) MeasureBuild(CorpusKind corpus, IReadOnlyList<PolicyEntry> entries)
    {
        // One build to JIT the code, then timed builds.
        _ = Workload.BuildSearch(entries);
        var times = new double[BuildRepeats];
        for (var i = 0; i < BuildRepeats; i++)
        {
            Collect();
            var start = Stopwatch.GetTimestamp();
            _ = Workload.BuildSearch(entries);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        // Managed memory held by the built search alone: the entries already exist before it.
        Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var search = Workload.BuildSearch(entries);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Array.Sort(times);
        var phrasings = entries.Sum(e => 1 + e.Alternates.Count);
        var (applyMedian, applyMin) = MeasureApply(search, entries);
        return (search, new BuildRow(corpus, entries.Count, phrasings, times[times.Length / 2], times[0], after - before, applyMedian, applyMin));
    }

    /// <summary>
    /// One-entry edits: the edited entry and the original in turn (each a new entry to analyze),
    /// ending on the original so the search holds the corpus as built.
    /// </summary>
    private static (double MedianMs, double MinMs) MeasureApply(PolicySearch search, IReadOnlyList<PolicyEntry> entries)
    {
        var target = Workload.EditTarget(entries);
        PolicyEntry[] versions = [Workload.Edit(target), target];
        foreach (var version in versions)
        {
            search.Apply([version]);
        }

        var times = new double[ApplyRepeats];
        for (var i = 0; i < ApplyRepeats; i++)
        {
            Collect();
            var start = Stopwatch.GetTimestamp();
            search.Apply([versions[i % versions.Length]]);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(times);
        return (times[times.Length / 2], times[0]);
    }

    private static LatencyRow MeasureSearch(CorpusKind corpus, PolicySearch search, IReadOnlyList<Query> queries, int rounds)
    {
        // At least WarmupRounds rounds and WarmupTime, so tiered compilation has settled.
        var bands = new int[3];
        var warmup = Stopwatch.StartNew();
        for (var r = 0; r < WarmupRounds || warmup.Elapsed < WarmupTime; r++)
        {
            foreach (var query in queries)
            {
                var band = search.Search(query.Text).Band;
                if (r == 0)
                {
                    bands[(int)band]++;
                }
            }
        }

        Collect();
        var perQuery = new double[queries.Count][];
        for (var q = 0; q < queries.Count; q++)
        {
            perQuery[q] = new double[rounds];
        }

        for (var r = 0; r < rounds; r++)
        {
            for (var q = 0; q < queries.Count; q++)
            {
                var start = Stopwatch.GetTimestamp();
                _ = search.Search(queries[q].Text);
                perQuery[q][r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
        }

        var groups = queries.Select((query, q) => (query.Group, q))
            .GroupBy(x => x.Group, StringComparer.Ordinal)
            .Select(g => new GroupRow(g.Key, g.Count(), Stats.Of(g.SelectMany(x => perQuery[x.q]))))
            .ToList();
        var slowest = queries.Select((query, q) => (query.Text, P50: Stats.Of(perQuery[q]).P50))
            .OrderByDescending(x => x.P50)
            .Take(3)
            .ToList();
        return new LatencyRow(
            corpus,
            search.Count,
            Stats.Of(perQuery.SelectMany(samples => samples)),
            groups,
            slowest,
            bands[(int)SearchBand.Answer],
            bands[(int)SearchBand.Clarify],
            bands[(int)SearchBand.Fallback]);
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static bool TryParse(IReadOnlyList<string> args, out int rounds)
    {
        rounds = DefaultRounds;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--rounds" && i + 1 < args.Count && int.TryParse(args[i + 1], NumberStyles.None, Invariant, out rounds) && rounds > 0)
            {
                i++;
                continue;
            }

            return false;
        }

        return true;
    }

    private static void PrintEnvironment(int queries, int rounds)
    {
        Console.WriteLine("HotlineBot knowledge search: percentile harness");
        Console.WriteLine($"  runtime   {RuntimeInformation.FrameworkDescription} {RuntimeInformation.ProcessArchitecture}, {RuntimeInformation.OSDescription}");
        Console.WriteLine($"  cpus      {Environment.ProcessorCount} logical; GC {(GCSettings.IsServerGC ? "server" : "workstation")}, {GCSettings.LatencyMode}");
        Console.WriteLine($"  build     {(Optimized ? "optimized (Release)" : "NOT optimized (Debug)")}");
        Console.WriteLine($"  timer     Stopwatch, {Stopwatch.Frequency.ToString("N0", Invariant)} ticks/s");
        Console.WriteLine($"  queries   {queries} ({QuerySet.All.Count(q => q.Group == QuerySet.RegressionGroup)} from seeds/regression.jsonl), {rounds} rounds");
        if (LoadAverage() is { } load)
        {
            Console.WriteLine($"  load      {load} (1/5/15 min, at start; other processes skew the tail)");
        }

        if (!Optimized)
        {
            Console.WriteLine("  WARNING   not a Release build: run with -c Release for figures worth quoting");
        }
    }

    /// <summary>Whether the JIT optimizes this harness and the knowledge library (false for Debug builds).</summary>
    private static bool Optimized =>
        new[] { typeof(PercentileHarness).Assembly, typeof(PolicySearch).Assembly }
            .All(a => a.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled != true);

    private static void PrintTable(string[] header, IEnumerable<string[]> rows)
    {
        var all = rows.Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(c => all.Max(r => Width(r[c]))).ToArray();
        for (var i = 0; i < all.Count; i++)
        {
            Console.WriteLine("| " + string.Join(" | ", all[i].Select((cell, c) => c == 0 || (i == 0 && c == 1) || header[c] == "group"
                ? Pad(cell, widths[c], left: true)
                : Pad(cell, widths[c], left: false))) + " |");
            if (i == 0)
            {
                Console.WriteLine("|" + string.Join("|", widths.Select((w, c) => c == 0 || header[c] == "group" ? new string('-', w + 2) : new string('-', w + 1) + ":")) + "|");
            }
        }
    }

    private static string Pad(string cell, int width, bool left)
    {
        var padding = new string(' ', width - Width(cell));
        return left ? cell + padding : padding + cell;
    }

    /// <summary>Display width: Han characters take two columns.</summary>
    private static int Width(string text) => text.Sum(c => IsWide(c) ? 2 : 1);

    private static bool IsWide(char c) => Text.TextNormalizer.IsHan(c) || c is >= '\uFF00' and <= '\uFFEF' or >= '\u3000' and <= '\u303F';

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");

    private static string Count(int value) => value.ToString("N0", Invariant);

    private static string Micro(double value) => value.ToString("N1", Invariant);

    private sealed record BuildRow(CorpusKind Corpus, int Entries, int Phrasings, double MedianMs, double MinMs, long Bytes, double ApplyMedianMs, double ApplyMinMs);

    private sealed record GroupRow(string Group, int Queries, Stats Stats);

    private sealed record LatencyRow(
        CorpusKind Corpus,
        int Entries,
        Stats Stats,
        IReadOnlyList<GroupRow> Groups,
        IReadOnlyList<(string Text, double P50)> Slowest,
        int Answer,
        int Clarify,
        int Fallback);

    /// <summary>Nearest-rank percentiles of a set of samples (μs).</summary>
    private sealed record Stats(int Samples, double P50, double P90, double P99, double Max, double Mean)
    {
        public static Stats Of(IEnumerable<double> samples)
        {
            var sorted = samples.Order().ToArray();
            return new Stats(sorted.Length, Rank(sorted, 50), Rank(sorted, 90), Rank(sorted, 99), sorted[^1], sorted.Average());
        }

        private static double Rank(double[] sorted, double percentile) =>
            sorted[Math.Max(0, (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1)];
    }
}
