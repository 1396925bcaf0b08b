using HotlineBot.Knowledge.Search;

namespace HotlineBot.Knowledge.Evaluation;

/// <summary>Judges the knowledge base alone: the search band stands for the reply kind.</summary>
public sealed class SearchEvalRunner(IPolicySearch search) : IEvalRunner
{
    private static readonly HashSet<string> Kinds = ["answer", "fallback"];

    public IReadOnlySet<string> JudgedKinds => Kinds;

    public Task<EvalOutcome> RunAsync(EvalCase evalCase, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evalCase);
        var result = search.Search(evalCase.Question);
        var kind = result.Band switch
        {
            SearchBand.Answer => "answer",
            SearchBand.Clarify => "clarify",
            _ => "fallback",
        };
        var text = result.Band == SearchBand.Answer
            ? result.Candidates[0].Entry.Answer
            : string.Join("\n", result.Candidates.Select(c => c.Entry.Question));
        var entryId = result.Candidates.Count > 0 ? result.Candidates[0].Entry.Id : null;
        return Task.FromResult(new EvalOutcome([kind], text, entryId, result.Confidence));
    }
}
