using HotlineBot.Accounts;
using HotlineBot.Cases.FollowUps;

namespace HotlineBot.FollowUps;

/// <summary>
/// The operators' notifications as the console polls them: the most recent ones in memory, numbered in
/// order. Cases are the durable record (each notification's cause is in the case history); a restart
/// empties the feed but the queue still shows every case.
/// </summary>
public sealed class OperatorFeed(TimeProvider time, ILogger<OperatorFeed> logger) : IOperatorNotifier
{
    /// <summary>How many notifications are kept.</summary>
    public const int Capacity = 500;

    private readonly Lock _lock = new();
    private readonly LinkedList<FeedItem> _items = new();
    private long _last;

    public Task NotifyAsync(OperatorNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        lock (_lock)
        {
            _items.AddLast(new FeedItem(++_last, time.GetUtcNow(), notification));
            if (_items.Count > Capacity)
            {
                _items.RemoveFirst();
            }
        }

        logger.LogInformation("Notification {Kind} for {Audience} about case {CaseId}", notification.Kind, notification.Audience, notification.CaseId);
        return Task.CompletedTask;
    }

    /// <summary>The notifications after <paramref name="after"/> that <paramref name="username"/> (with <paramref name="role"/>) may see, oldest first.</summary>
    public IReadOnlyList<FeedItem> Read(long after, string username, string role)
    {
        lock (_lock)
        {
            return [.. _items.Where(i => i.Id > after && IsFor(i.Notification, username, role))];
        }
    }

    private static bool IsFor(OperatorNotification n, string username, string role) => n.Audience switch
    {
        NotificationAudience.Operators => true,
        NotificationAudience.Admins => role == Roles.Admin,
        _ => string.Equals(n.Operator, username, StringComparison.OrdinalIgnoreCase),
    };
}

/// <summary>A numbered notification.</summary>
public sealed record FeedItem(long Id, DateTimeOffset At, OperatorNotification Notification);
