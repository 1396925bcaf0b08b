using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace HotlineBot.Knowledge.Benchmarks;

/// <summary>Adds the per-query columns to benchmarks whose operation is one pass over the query set.</summary>
public sealed class PerQueryConfig : ManualConfig
{
    public PerQueryConfig()
    {
        AddColumn(new PerQueryColumn(allocated: false), new PerQueryColumn(allocated: true));
    }
}

/// <summary>
/// The mean time or the allocated bytes of one pass over the query set, divided by the number of
/// queries in it: what one question costs on average.
/// </summary>
internal sealed class PerQueryColumn(bool allocated) : IColumn
{
    public string Id => nameof(PerQueryColumn) + "." + ColumnName;

    public string ColumnName => allocated ? "Alloc/query" : "Mean/query";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => allocated ? 1 : 0;

    public bool IsNumeric => true;

    public UnitType UnitType => allocated ? UnitType.Size : UnitType.Time;

    public string Legend => allocated
        ? $"Managed bytes allocated per query (Allocated / {QuerySet.All.Count} queries)"
        : $"Mean time per query (Mean / {QuerySet.All.Count} queries)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        var queries = QuerySet.All.Count;
        if (allocated)
        {
            var bytes = report?.GcStats.GetBytesAllocatedPerOperation(benchmarkCase);
            return bytes is { } b ? string.Create(CultureInfo.InvariantCulture, $"{(double)b / queries:N0} B") : "NA";
        }

        var mean = report?.ResultStatistics?.Mean;
        return mean is { } ns ? string.Create(CultureInfo.InvariantCulture, $"{ns / queries / 1000:N2} μs") : "NA";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public override string ToString() => ColumnName;
}
