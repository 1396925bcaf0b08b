using System.Globalization;
using HotlineBot.Extensions;
using HotlineBot.Knowledge.Evaluation;
using HotlineBot.Knowledge.Search;
using Microsoft.Extensions.Options;

namespace HotlineBot.Commands;

/// <summary>
/// Judges a cases file in process: one line per failure, then <c>skipped: K</c>, then
/// <c>score: N/M passed (P%)</c>. Exit 0; 1 below <c>--min</c>; 2 for a file it cannot read.
/// </summary>
internal sealed class EvalCommand(string file, string? dataDirectory, double? minPercent) : HostCommand
{
    public override async Task<int> RunAsync(IServiceProvider services, TextWriter output, TextReader input)
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

        // The knowledge store arrives with the bot service; until a data directory holds one, the
        // published entries are the seed content's (said on stderr so stdout stays the report).
        var options = services.GetRequiredService<IOptions<HotlineOptions>>().Value;
        await Console.Error.WriteLineAsync($"judging the seed content of {options.SeedsDirectory} (no knowledge store in {dataDirectory ?? options.DataDirectory} yet)");
        var runner = new SearchEvalRunner(services.GetRequiredService<IPolicySearch>());
        var report = await Evaluator.RunAsync(cases, runner);
        foreach (var failure in report.Failures)
        {
            await output.WriteLineAsync(failure.ToString());
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"skipped: {report.Skipped}"));
        await output.WriteLineAsync(report.ScoreLine);
        return minPercent is { } min && report.Percent < min ? 1 : 0;
    }
}
