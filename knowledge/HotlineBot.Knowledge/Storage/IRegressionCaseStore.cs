using HotlineBot.Knowledge.Evaluation;

namespace HotlineBot.Knowledge.Storage;

/// <summary>
/// The admins' own regression questions, kept beside the entries and edited like them. The publishing
/// guard runs them before every change; the seed copy (seeds/regression.jsonl) fills an empty store.
/// </summary>
public interface IRegressionCaseStore
{
    /// <summary>Every case, in id order.</summary>
    Task<IReadOnlyList<EvalCase>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds the case or replaces the one with its id.</summary>
    Task SaveAsync(EvalCase evalCase, CancellationToken cancellationToken = default);

    /// <summary>Removes the case; false when there was none.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Fills an empty store with <paramref name="cases"/>; a store holding any case is left alone (returns 0).</summary>
    Task<int> SeedAsync(IEnumerable<EvalCase> cases, CancellationToken cancellationToken = default);
}
