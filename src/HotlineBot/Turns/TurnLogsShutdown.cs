using HotlineBot.BotFramework.Builder;

namespace HotlineBot.Turns;

/// <summary>
/// Writes the queued turn records (to the SQLite file embedded, to the shared Redis scaled out) and, embedded,
/// the queued transcript lines (scaled out each line is in Redis before its turn ends) once the service has
/// stopped (after the server drained its last requests), as part of stopping rather than later at disposal:
/// whoever waits for the stop (a process manager, a test host) finds every confirmed turn stored.
/// </summary>
public sealed class TurnLogsShutdown(ITurnRecords turns, ITranscriptStore transcripts) : IHostedLifecycleService
{
    /// <summary>Runs inside the host's stop, after every hosted service (the web server included) stopped.</summary>
    public Task StoppedAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(
            turns.FlushAsync(cancellationToken),
            transcripts is SqliteTranscriptStore embedded ? embedded.FlushAsync(cancellationToken) : Task.CompletedTask);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
