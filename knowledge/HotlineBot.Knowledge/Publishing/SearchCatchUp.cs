using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotlineBot.Knowledge.Publishing;

/// <summary>Notices that can be lost (pub/sub keeps nothing for a subscriber that is away) say when they may have been.</summary>
public interface ILossyKnowledgeNotices : IKnowledgeNotices
{
    /// <summary>Raised when notices may have gone missing: the connection came back, or a handler failed.</summary>
    event EventHandler? NoticesMayBeLost;
}

/// <summary>
/// Recovers the changes a search missed, for notices that can be lost: runs
/// <see cref="SearchSynchronizer.CatchUpAsync"/> whenever the notices say some may be, and on a slow
/// timer for what nothing announces (a writer that stopped between writing and publishing). With
/// notices that are never lost (in process) it does nothing. One catch-up runs at a time.
/// </summary>
public sealed class SearchCatchUp : IDisposable
{
    /// <summary>How often the store is checked without a reason: a missed change is found within this.</summary>
    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromMinutes(1);

    /// <summary>A catch-up that failed (the store was still out of reach just after the connection came back) is tried again this soon, a few times.</summary>
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    private const int Attempts = 5;

    private readonly SearchSynchronizer _synchronizer;
    private readonly ILossyKnowledgeNotices? _notices;
    private readonly ITimer? _timer;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();

    public SearchCatchUp(SearchSynchronizer synchronizer, IKnowledgeNotices notices, TimeSpan? period = null, TimeProvider? timeProvider = null, ILogger<SearchCatchUp>? logger = null)
    {
        _synchronizer = synchronizer ?? throw new ArgumentNullException(nameof(synchronizer));
        ArgumentNullException.ThrowIfNull(notices);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        if (notices is ILossyKnowledgeNotices lossy)
        {
            _notices = lossy;
            _notices.NoticesMayBeLost += OnNoticesMayBeLost;
            var every = period ?? DefaultPeriod;
            _timer = _time.CreateTimer(_ => Trigger(), null, every, every);
        }
    }

    /// <summary>Catches up now (after any catch-up already running); returns how many entries it brought up to date.</summary>
    public async Task<int> CatchUpAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await _synchronizer.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        if (_notices is not null)
        {
            _notices.NoticesMayBeLost -= OnNoticesMayBeLost;
        }

        _timer?.Dispose();
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private void OnNoticesMayBeLost(object? sender, EventArgs e) => Trigger();

    private void Trigger() => _ = RunAsync();

    private async Task RunAsync()
    {
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var caughtUp = await CatchUpAsync(_stopping.Token).ConfigureAwait(false);
                    if (caughtUp > 0)
                    {
                        _logger.LogInformation("Caught up with {Count} knowledge entries whose change notice was missed", caughtUp);
                    }

                    return;
                }
                catch (Exception e) when (attempt < Attempts && e is not OperationCanceledException and not ObjectDisposedException)
                {
                    _logger.LogInformation(e, "Catching up with the knowledge store failed (attempt {Attempt}); trying again shortly", attempt);
                    await Task.Delay(RetryDelay, _time, _stopping.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed while catching up.
        }
        catch (ObjectDisposedException)
        {
            // Disposed before it started.
        }
#pragma warning disable CA1031 // The store may be unreachable for a while; the next trigger tries again.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _logger.LogWarning(e, "Catching up with the knowledge store failed; the periodic check tries again");
        }
    }
}
