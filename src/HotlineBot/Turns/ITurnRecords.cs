using HotlineBot.Dialogs.TurnLogging;

namespace HotlineBot.Turns;

/// <summary>
/// The turn log the host keeps and reads back: recorded in the background (a turn never waits on it),
/// read by the admins' unanswered inbox. Embedded it is a SQLite file per instance; scaled out it is one
/// Redis stream every instance writes to, so an admin on any instance sees every worker's questions.
/// </summary>
public interface ITurnRecords : ITurnLog
{
    /// <summary>Waits until everything this instance recorded so far can be read back (or was given up on).</summary>
    Task FlushAsync(CancellationToken cancellationToken);

    /// <summary>The turns handled at or after <paramref name="since"/>, in the order they were recorded, with stable increasing ids.</summary>
    Task<IReadOnlyList<StoredTurn>> SinceAsync(DateTimeOffset since, CancellationToken cancellationToken);
}
