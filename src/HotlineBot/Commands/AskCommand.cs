using System.Globalization;
using HotlineBot.Extensions;
using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Search;
using HotlineBot.Knowledge.SmallTalk;
using Microsoft.Extensions.Options;

namespace HotlineBot.Commands;

/// <summary>Answers questions typed on the console, showing the band, confidence and matched terms.</summary>
internal sealed class AskCommand : HostCommand
{
    public override async Task<int> RunAsync(IServiceProvider services, TextWriter output, TextReader input)
    {
        var search = services.GetRequiredService<IPolicySearch>();
        var smallTalk = services.GetRequiredService<SmallTalkMatcher>();
        var values = services.GetRequiredService<IOptions<HotlineOptions>>().Value.AnswerValues();
        await output.WriteLineAsync($"HotlineBot: {search.Count} policy answers loaded. Type a question (empty line to quit).");
        while (true)
        {
            await output.WriteAsync("> ");
            var line = await input.ReadLineAsync();
            if (string.IsNullOrWhiteSpace(line))
            {
                return 0;
            }

            if (smallTalk.Match(line) is { } talk)
            {
                await output.WriteLineAsync($"[smalltalk:{talk.Intent}] {talk.Reply}");
                continue;
            }

            var result = search.Search(line);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"[{result.Band.ToString().ToLowerInvariant()} {result.Confidence:0.000} {result.Reason}]"));
            foreach (var candidate in result.Candidates)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"  {candidate.Confidence:0.000} {candidate.Entry.Id}  ~ {candidate.MatchedPhrasing}  [{string.Join(' ', candidate.MatchedTerms)}]"));
            }

            if (result.Answer is { } entry)
            {
                await output.WriteLineAsync(AnswerTemplate.Render(entry.Answer, values));
            }
        }
    }
}
