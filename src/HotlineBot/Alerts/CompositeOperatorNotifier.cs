using HotlineBot.Cases.FollowUps;

namespace HotlineBot.Alerts;

/// <summary>
/// The console's feed and the other channels (the WeCom robot) receive every notification. The other channels
/// only queue work, and a failure there is logged, never thrown: it must not fail the worker's turn or the
/// follow-up that notifies. The feed's own failures propagate as before.
/// </summary>
public sealed class CompositeOperatorNotifier(IOperatorNotifier feed, IReadOnlyList<IOperatorNotifier> others, ILogger<CompositeOperatorNotifier> logger) : IOperatorNotifier
{
    public async Task NotifyAsync(OperatorNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        foreach (var other in others)
        {
            try
            {
                await other.NotifyAsync(notification, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "{Channel} could not take the {Kind} notification of case {CaseId}", other.GetType().Name, notification.Kind, notification.CaseId);
            }
        }

        await feed.NotifyAsync(notification, cancellationToken);
    }
}
