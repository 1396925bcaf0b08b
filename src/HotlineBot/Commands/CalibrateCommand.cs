using HotlineBot.Knowledge.Evaluation;
using HotlineBot.Knowledge.Loading;
using HotlineBot.Knowledge.Search;
using Microsoft.Extensions.Options;

namespace HotlineBot.Commands;

/// <summary>Prints how the band thresholds do on alternates held out of the entries and on out-of-scope samples; <c>--misread</c> lists the held-out alternates read as another entry.</summary>
internal sealed class CalibrateCommand(bool verbose) : HostCommand
{
    public override async Task<int> RunAsync(IServiceProvider services, TextWriter output, TextReader input)
    {
        var report = Calibration.Run(services.GetRequiredService<SeedSet>(), services.GetRequiredService<IOptions<SearchOptions>>().Value);
        await output.WriteAsync(report.Describe());
        if (verbose)
        {
            foreach (var line in report.Misread())
            {
                await output.WriteLineAsync(line);
            }
        }

        return 0;
    }
}
