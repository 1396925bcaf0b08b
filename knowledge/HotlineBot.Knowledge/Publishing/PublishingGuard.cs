using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Evaluation;
using HotlineBot.Knowledge.Search;
using HotlineBot.Knowledge.Storage;

namespace HotlineBot.Knowledge.Publishing;

/// <summary>
/// Runs the admins' regression questions, with the same evaluator as the <c>eval</c> command, against
/// the knowledge base as it is and as it would be after a change. A change is refused when a case that
/// passes today would fail: cases already failing do not block unrelated edits.
/// </summary>
public sealed class PublishingGuard(PolicySearch search, IRegressionCaseStore cases)
{
    /// <summary>The regression report of the live knowledge base.</summary>
    public async Task<EvalReport> RunAsync(CancellationToken cancellationToken)
    {
        var all = await cases.ListAsync(cancellationToken).ConfigureAwait(false);
        return await Evaluator.RunAsync(all, new SearchEvalRunner(search), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The cases that pass now and would fail once <paramref name="changed"/> is published; empty when the change is safe.</summary>
    public async Task<IReadOnlyList<EvalFailure>> NewFailuresAsync(IReadOnlyCollection<PolicyEntry> changed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changed);
        var all = await cases.ListAsync(cancellationToken).ConfigureAwait(false);
        var before = await Evaluator.RunAsync(all, new SearchEvalRunner(search), cancellationToken).ConfigureAwait(false);
        var after = await Evaluator.RunAsync(all, new SearchEvalRunner(search.Preview(changed)), cancellationToken).ConfigureAwait(false);
        var failing = before.Failures.Select(f => f.Case.Id).ToHashSet(StringComparer.Ordinal);
        return [.. after.Failures.Where(f => !failing.Contains(f.Case.Id))];
    }
}

/// <summary>The change would make regression cases fail that pass today; nothing was written.</summary>
public sealed class PublishingRefusedException(IReadOnlyList<EvalFailure> failures)
    : InvalidOperationException($"The change would fail {failures.Count} regression case(s): {string.Join(", ", failures.Select(f => f.Case.Id))}.")
{
    public IReadOnlyList<EvalFailure> Failures { get; } = failures;
}
