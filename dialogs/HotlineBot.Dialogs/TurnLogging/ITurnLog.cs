namespace HotlineBot.Dialogs.TurnLogging;

/// <summary>
/// Where every turn of the worker's conversation is recorded, for the admins' unanswered-question
/// view and for metrics. Implemented by the host (a store); must be thread-safe.
/// </summary>
public interface ITurnLog
{
    Task RecordAsync(TurnRecord record, CancellationToken cancellationToken);
}

/// <summary>Records nothing: for the eval command and hosts that keep no turn records.</summary>
public sealed class NullTurnLog : ITurnLog
{
    public static NullTurnLog Instance { get; } = new();

    public Task RecordAsync(TurnRecord record, CancellationToken cancellationToken) => Task.CompletedTask;
}
