using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hangfire;
using Hangfire.Storage;
using HotlineBot.Cases;
using Microsoft.Extensions.Options;

namespace HotlineBot.Alerts;

/// <summary>
/// Posts one alert to the WeCom group robot. It reads the case when it runs (its priority may have changed),
/// renders the markdown and posts it; a failure (no answer, a timeout, a non-2xx status, errcode ≠ 0) throws,
/// and Hangfire retries it with growing waits, then keeps it as failed on the dashboard.
/// Each alert is posted once: a mark in the job storage (shared by every instance when scaled out), keyed by
/// case, kind and text, is claimed before the post and set after it, so a retry after a success, or the same
/// notification enqueued by two instances, finds it and ends without posting.
/// </summary>
[AutomaticRetry(Attempts = 5, DelaysInSeconds = [1, 5, 30, 120, 600])]
public sealed class WeComAlertJob(ICaseStore cases, WeComRobotClient robot, JobStorage storage, IOptionsMonitor<AlertOptions> options, TimeProvider time, ILogger<WeComAlertJob> logger)
{
    /// <summary>A claim older than this (an instance that died mid-post) no longer holds the alert; longer than the robot client's timeout.</summary>
    private static readonly TimeSpan SendingLease = WeComRobotClient.Timeout + TimeSpan.FromSeconds(30);

    /// <summary>How long a posted alert's mark is kept: longer than every retry of every job that could post it.</summary>
    private static readonly TimeSpan MarkLifetime = TimeSpan.FromDays(3);

    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(10);

    private enum Claim
    {
        Claimed,
        Sent,
        Busy,
    }

    [JobDisplayName("WeCom alert {1} for case {0}")]
    public async Task PostAsync(string caseId, string kind, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caseId);
        ArgumentNullException.ThrowIfNull(kind);
        var settings = options.CurrentValue;
        if (!settings.Enabled)
        {
            logger.LogInformation("WeCom alert {Kind} for case {CaseId} dropped: Hotline:Alerts:WeComRobotUrl is no longer set", kind, caseId);
            return;
        }

        var hotlineCase = await cases.GetAsync(caseId, cancellationToken);
        if (hotlineCase is null)
        {
            logger.LogWarning("WeCom alert {Kind} dropped: case {CaseId} not found", kind, caseId);
            return;
        }

        var content = WeComMarkdown.Render(WeComMarkdown.Alert(hotlineCase, kind, text, settings.CaseLink(caseId)));
        var mark = MarkKey(caseId, kind, text);
        using var connection = storage.GetConnection();
        switch (TryClaim(connection, mark))
        {
            case Claim.Sent:
                logger.LogInformation("WeCom alert {Kind} for case {CaseId} was posted already", kind, caseId);
                return;
            case Claim.Busy:
                // Thrown, so Hangfire looks again later: posted by then (ends), or the other attempt gave up (posts).
                throw new InvalidOperationException($"WeCom alert {kind} for case {caseId} is being posted by another job.");
        }

        try
        {
            await robot.SendMarkdownAsync(settings.RobotUri, content, cancellationToken);
        }
        catch
        {
            Write(connection, mark, null);
            throw;
        }

        Write(connection, mark, "sent");
        logger.LogInformation("WeCom alert {Kind} for case {CaseId} posted", kind, caseId);
    }

    /// <summary><c>hotline:wecom-alert:{case}:{kind}:{digest of the text}</c>: the same notification, not a later one of the same kind (a second escalation).</summary>
    internal static string MarkKey(string caseId, string kind, string text)
    {
        var digest = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text ?? string.Empty)).AsSpan(0, 8));
        return $"hotline:wecom-alert:{caseId}:{kind}:{digest}";
    }

    /// <summary>Under the storage's lock (held only for these reads and writes, never across the post): sent, being sent, or now claimed.</summary>
    private Claim TryClaim(IStorageConnection connection, string mark)
    {
        using (connection.AcquireDistributedLock(mark + ":lock", LockTimeout))
        {
            var entries = connection.GetAllEntriesFromHash(mark);
            if (entries is not null && entries.ContainsKey("sent"))
            {
                return Claim.Sent;
            }

            if (entries is not null
                && entries.TryGetValue("sending", out var since)
                && long.TryParse(since, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks)
                && time.GetUtcNow().UtcTicks - ticks < SendingLease.Ticks)
            {
                return Claim.Busy;
            }

            Write(connection, mark, "sending");
            return Claim.Claimed;
        }
    }

    /// <summary>Sets <paramref name="field"/> to now (the mark expires after <see cref="MarkLifetime"/>), or removes the mark when null.</summary>
    private void Write(IStorageConnection connection, string mark, string? field)
    {
        using var transaction = connection.CreateWriteTransaction();
        transaction.RemoveHash(mark);
        if (field is not null)
        {
            transaction.SetRangeInHash(mark, [KeyValuePair.Create(field, time.GetUtcNow().UtcTicks.ToString(CultureInfo.InvariantCulture))]);
            if (transaction is JobStorageTransaction expiring)
            {
                expiring.ExpireHash(mark, MarkLifetime);
            }
        }

        transaction.Commit();
    }
}
