using System.Globalization;

namespace HotlineBot.Commands;

/// <summary>A command of the host's command line.</summary>
internal abstract class HostCommand
{
    public abstract Task<int> RunAsync(IServiceProvider services, TextWriter output, TextReader input);

    /// <summary>Adjusts the host before it is built (the eval command works on a copy of the data).</summary>
    public virtual void Configure(WebApplicationBuilder builder)
    {
    }

    /// <summary>The command the arguments name, or null to run the service.</summary>
    public static HostCommand? Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            return null;
        }

        return args[0] switch
        {
            "eval" => ParseEval(args[1..]),
            "calibrate" => new CalibrateCommand(args.Contains("--misread")),
            "ask" => new AskCommand(),
            "wechat" when args.Length == 2 && args[1] == "menu" => new WeChatMenuCommand(),
            _ => new UsageCommand($"unknown command '{args[0]}'"),
        };
    }

    private static HostCommand ParseEval(string[] args)
    {
        string? file = null;
        string? data = null;
        double? min = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--data" when i + 1 < args.Length:
                    data = args[++i];
                    break;
                case "--min" when i + 1 < args.Length && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var p):
                    min = p;
                    i++;
                    break;
                case var arg when !arg.StartsWith("--", StringComparison.Ordinal) && file is null:
                    file = arg;
                    break;
                default:
                    return new UsageCommand($"eval: unexpected argument '{args[i]}'");
            }
        }

        return file is null ? new UsageCommand("eval: which cases file?") : new EvalCommand(file, data, min);
    }
}

/// <summary>Explains the command line after a mistake in it.</summary>
internal sealed class UsageCommand(string problem) : HostCommand
{
    public override Task<int> RunAsync(IServiceProvider services, TextWriter output, TextReader input)
    {
        output.WriteLine(problem);
        output.WriteLine("usage: HotlineBot [--urls URL]                serve the Bot Framework endpoint (default http://localhost:3978)");
        output.WriteLine("       HotlineBot ask                         answer questions typed on the console");
        output.WriteLine("       HotlineBot eval FILE [--data DIR] [--min P]   judge a cases file against the knowledge base");
        output.WriteLine("       HotlineBot calibrate [--misread]        tune the band thresholds on held-out alternates");
        output.WriteLine("       HotlineBot wechat menu                  create the WeChat Official Account menu");
        return Task.FromResult(2);
    }
}
