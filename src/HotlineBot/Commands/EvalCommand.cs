using System.Globalization;
using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Integration;
using HotlineBot.Evaluation;
using HotlineBot.Extensions;
using HotlineBot.Knowledge.Evaluation;

namespace HotlineBot.Commands;

/// <summary>
/// Judges a cases file through the real turn pipeline, in process: one line per failure, then
/// <c>skipped: K</c>, then <c>score: N/M passed (P%)</c>. Exit 0; 1 below <c>--min</c>; 2 for a file
/// it cannot read. The turns run against a temporary copy of the data directory, so they leave no
/// turn records and open no cases.
/// </summary>
internal sealed class EvalCommand(string file, string? dataDirectory, double? minPercent) : HostCommand
{
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "hotline-eval-" + Guid.NewGuid().ToString("n")[..12]);

    public override void Configure(WebApplicationBuilder builder)
    {
        var data = Path.GetFullPath(dataDirectory ?? builder.Configuration[$"{HotlineOptions.Section}:DataDirectory"] ?? "data");
        CopyDirectory(data, _scratch);
        builder.Configuration[$"{HotlineOptions.Section}:DataDirectory"] = _scratch;
    }

    public override async Task<int> RunAsync(IServiceProvider services, TextWriter output, TextReader input)
    {
        try
        {
            IReadOnlyList<EvalCase> cases;
            try
            {
                cases = EvalCaseReader.Read(file);
            }
            catch (Exception e) when (e is EvalFileException or IOException or UnauthorizedAccessException)
            {
                await output.WriteLineAsync($"cannot read cases: {e.Message}");
                return 2;
            }

            var runner = new PipelineEvalRunner(
                services.GetRequiredService<IBotFrameworkHttpAdapter>(),
                services.GetRequiredService<IBot>(),
                services);
            var report = await Evaluator.RunAsync(cases, runner);
            foreach (var failure in report.Failures)
            {
                await output.WriteLineAsync(failure.ToString());
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"skipped: {report.Skipped}"));
            await output.WriteLineAsync(report.ScoreLine);
            return minPercent is { } min && report.Percent < min ? 1 : 0;
        }
        finally
        {
            if (Directory.Exists(_scratch))
            {
                Directory.Delete(_scratch, recursive: true);
            }
        }
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        if (!Directory.Exists(source))
        {
            return;
        }

        foreach (var path in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, path));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(path, destination, overwrite: true);
        }
    }
}
