using System.Text.Json;
using HotlineBot.Knowledge.Evaluation;

namespace HotlineBot.Knowledge.Storage;

/// <summary>A regression case as every <see cref="IRegressionCaseStore"/> stores it: one line of a cases file.</summary>
internal static class RegressionCaseDocument
{
    public static string Serialize(EvalCase evalCase) => JsonSerializer.Serialize(evalCase);

    public static EvalCase Deserialize(string document) =>
        JsonSerializer.Deserialize<EvalCase>(document) ?? throw new InvalidDataException("A stored regression case is null.");

    /// <summary>Checks a case before it is saved: it needs an id to be kept by.</summary>
    public static void Validate(EvalCase evalCase)
    {
        ArgumentNullException.ThrowIfNull(evalCase);
        ArgumentException.ThrowIfNullOrWhiteSpace(evalCase.Id);
    }
}
