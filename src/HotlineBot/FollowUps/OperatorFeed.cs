using HotlineBot.Accounts;
using HotlineBot.Cases.FollowUps;

namespace HotlineBot.FollowUps;

/// <summary>
/// The operators' notifications as the console polls them: the most recent ones, numbered in order.
/// In memory for one instance (<see cref="OperatorFeed"/>) or in the shared Redis when the hotline is
/// scaled out (<see cref="RedisOperatorFeed"/>), so every instance's console sees every notification.
/// </summary>
public interface IOperatorFeed : IOperatorNotifier
{
    /// <summary>The notifications after <paramref name="after"/> that <paramref name="username"/> (with <paramref name="role"/>) may see, oldest first.</summary>
    Task<IReadOnlyList<FeedItem>> ReadAsync(long after, string username, string role, CancellationToken cancellationToken);
}

/// <summary>
/// The feed of one instance, in memory. Cases are the durable record (each notification's cause is in
/// the case history); a restart empties the feed but the queue still shows every case.
/// </summary>
public sealed class OperatorFeed(TimeProvider time, ILogger<OperatorFeed> logger) : IOperatorFeed
{
    /// <summary>How many notifications are kept (by every feed).</summary>
    public const int Capacity = 500;

    private readonly Lock _lock = new();
    private readonly LinkedList<FeedItem> _items = new();
    private long _last;

    public Task NotifyAsync(OperatorNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        FeedItem item;
        lock (_lock)
        {
            item = new FeedItem(++_last, time.GetUtcNow(), notification);
            _items.AddLast(item);
            if (_items.Count > Capacity)
            {
                _items.RemoveFirst();
            }
        }

        item.Log(logger);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<FeedItem>> ReadAsync(long after, string username, string role, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<FeedItem>>([.. _items.Where(i => i.Id > after && i.IsFor(username, role))]);
        }
    }
}

/// <summary>A numbered notification.</summary>
public sealed record FeedItem(long Id, DateTimeOffset At, OperatorNotification Notification)
{
    /// <summary>The audience rule every feed applies: operators' notices to all, admins' to admins, an assignee's to that operator (any case of the name).</summary>
    public bool IsFor(string username, string role) => Notification.Audience switch
    {
        NotificationAudience.Operators => true,
        NotificationAudience.Admins => role == Roles.Admin,
        _ => string.Equals(Notification.Operator, username, StringComparison.OrdinalIgnoreCase),
    };

    /// <summary>The one log line a feed writes for a new notification.</summary>
    internal void Log(ILogger logger) =>
        logger.LogInformation("Notification {Id} {Kind} for {Audience} about case {CaseId}", Id, Notification.Kind, Notification.Audience, Notification.CaseId);
}
