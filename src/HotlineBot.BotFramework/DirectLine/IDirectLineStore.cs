using System.Threading.Channels;
using HotlineBot.BotFramework.Schema;

namespace HotlineBot.BotFramework.DirectLine;

/// <summary>
/// The activities of each Direct Line conversation, in order, with watermarks: what users sent (their echo)
/// and what the bot sent, for clients that poll and for WebSocket streams. Ids and watermarks are
/// URL-safe, since clients put them into URLs unencoded. A conversation nobody uses for
/// <see cref="DirectLineOptions.IdleTimeout"/> is dropped, and each keeps at most
/// <see cref="DirectLineOptions.MaxActivitiesPerConversation"/> activities.
/// </summary>
public interface IDirectLineStore
{
    /// <summary>Opens the conversation if it is not open (and marks it used); true only when this call opened it.</summary>
    Task<bool> OpenAsync(string conversationId, CancellationToken cancellationToken);

    /// <summary>Whether another conversation may start (<see cref="DirectLineOptions.MaxConversations"/>).</summary>
    Task<bool> HasRoomAsync(CancellationToken cancellationToken);

    /// <summary>Whether the conversation is open (it was opened and has not expired).</summary>
    Task<bool> IsOpenAsync(string conversationId, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a copy of the activity with a new id, the next watermark and the time it was taken as its
    /// timestamp (later than every earlier one's, to the millisecond, since clients order by timestamp).
    /// The activity's own id, when it has one, is the sender's idempotency key: appending it again returns
    /// the first copy's id and stores nothing. A <c>replyToId</c> that names no activity the conversation
    /// holds is dropped (Web Chat would hold the activity back waiting for it). Null when the conversation is not open.
    /// </summary>
    Task<AppendedActivity?> AppendAsync(string conversationId, Activity activity, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="max"/> activities after <paramref name="watermark"/> (all that are kept when it is
    /// empty or unknown), oldest first, and the watermark to ask with next; marks the conversation used.
    /// The activities are the store's own: serialize them, never change them. Null when the conversation is not open.
    /// </summary>
    Task<ActivitySet?> ReadAsync(string conversationId, string? watermark, int max, CancellationToken cancellationToken);

    /// <summary>Passes an activity that is not stored (typing) to the conversation's streams as it is.</summary>
    Task PublishAsync(string conversationId, Activity activity, CancellationToken cancellationToken);

    /// <summary>Follows the conversation's changes until the subscription is disposed.</summary>
    IDirectLineSubscription Subscribe(string conversationId);
}

/// <summary>A stored activity's id and timestamp.</summary>
public sealed record AppendedActivity(string Id, DateTimeOffset Timestamp);

/// <summary>A page of a conversation's activities and the watermark after them (the Direct Line ActivitySet).</summary>
public sealed record ActivitySet(IReadOnlyList<Activity> Activities, string Watermark);

/// <summary>Changes to one conversation, for a stream.</summary>
public interface IDirectLineSubscription : IDisposable
{
    /// <summary>
    /// Null when activities were stored (read them after your watermark); else an activity that is not
    /// stored, to pass on as it is. A slow reader may miss old items but is always woken: on any item,
    /// read after the watermark again.
    /// </summary>
    ChannelReader<Activity?> Updates { get; }
}
