using System.Collections.Frozen;
using Hangfire;
using HotlineBot.Cases.FollowUps;
using Microsoft.Extensions.Options;

namespace HotlineBot.Alerts;

/// <summary>
/// Forwards the notifications operators must not miss (a new case, a first-response deadline near or passed,
/// an escalation) to the WeCom group robot. It only enqueues a Hangfire job, so the turn or follow-up that
/// notifies never waits on WeCom; the job reads the case and posts when it runs, with Hangfire's retries.
/// </summary>
public sealed class WeComAlertNotifier(IBackgroundJobClient jobs, IOptionsMonitor<AlertOptions> options) : IOperatorNotifier
{
    public const string NewCase = "new-case";
    public const string Deadline = "deadline";
    public const string Escalated = "escalated";

    /// <summary>The notification kinds (see <c>CaseFollowUps</c>) posted to the group.</summary>
    public static FrozenSet<string> Kinds { get; } = FrozenSet.Create(StringComparer.Ordinal, NewCase, Deadline, Escalated);

    public Task NotifyAsync(OperatorNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (options.CurrentValue.Enabled && notification.CaseId.Length > 0 && Kinds.Contains(notification.Kind))
        {
            var (caseId, kind, text) = (notification.CaseId, notification.Kind, notification.Text);
            jobs.Enqueue<WeComAlertJob>(j => j.PostAsync(caseId, kind, text, CancellationToken.None));
        }

        return Task.CompletedTask;
    }
}
