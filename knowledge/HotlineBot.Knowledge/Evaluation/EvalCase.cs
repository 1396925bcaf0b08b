using System.Text.Json.Serialization;

namespace HotlineBot.Knowledge.Evaluation;

/// <summary>
/// One line of a cases file: a question a worker might type and what the hotline must do with it.
/// <see cref="Expect"/> is a list of keyword groups: the reply must hold one word of every group.
/// </summary>
public sealed record EvalCase(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("topic")] string? Topic,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("q")] string Question,
    [property: JsonPropertyName("expect")] IReadOnlyList<IReadOnlyList<string>>? Expect)
{
    public IReadOnlyList<IReadOnlyList<string>> KeywordGroups => Expect ?? [];
}

/// <summary>What a runner did with one question.</summary>
/// <param name="Kinds">The reply kinds (<c>channelData.hotline.kind</c> values: answer, clarify, fallback, ...).</param>
/// <param name="Text">All reply text, for the keyword groups.</param>
/// <param name="EntryId">The entry answered with, if any.</param>
/// <param name="Confidence">The search confidence, if known.</param>
public sealed record EvalOutcome(IReadOnlyList<string> Kinds, string Text, string? EntryId, double? Confidence);

/// <summary>Runs questions through the hotline, search-only or the whole pipeline, for the evaluator to judge.</summary>
public interface IEvalRunner
{
    /// <summary>The case kinds this runner can judge; others are counted as skipped.</summary>
    IReadOnlySet<string> JudgedKinds { get; }

    Task<EvalOutcome> RunAsync(EvalCase evalCase, CancellationToken cancellationToken);
}
