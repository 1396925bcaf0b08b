using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using HotlineBot.BotFramework.Schema;
using Microsoft.Extensions.Options;

namespace HotlineBot.BotFramework.DirectLine;

/// <summary>
/// The embedded default <see cref="IDirectLineStore"/>: queues in this process's memory, so a restart loses
/// them (clients then start again from what follows). An activity's id and the watermark after it are one
/// string: the queue's generation (8 hex digits, new each time a conversation's queue is created) and the
/// activity's sequence number. A watermark from an earlier generation therefore reads the new queue from
/// its start instead of skipping activities whose numbers it has already seen.
/// </summary>
public sealed class InMemoryDirectLineStore(IOptions<DirectLineOptions> options, TimeProvider time) : IDirectLineStore
{
    private const int GenerationLength = 8;

    /// <summary>How many changes a subscriber may fall behind before the oldest are dropped (it is woken either way).</summary>
    private const int SubscriberBacklog = 64;

    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Conversation> _conversations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Subscription>> _subscribers = new(StringComparer.Ordinal);
    private readonly DirectLineOptions _options = options.Value;
    private long _nextSweepTicks;

    /// <summary>How many conversations are open, expired ones not yet swept included.</summary>
    public int Count => _conversations.Count;

    public Task<bool> OpenAsync(string conversationId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        var now = time.GetUtcNow();
        SweepIfDue(now);
        while (true)
        {
            if (Find(conversationId, now) is not null)
            {
                return Task.FromResult(false);
            }

            if (_conversations.TryAdd(conversationId, new Conversation(NewGeneration(), now)))
            {
                return Task.FromResult(true);
            }
        }
    }

    public Task<bool> HasRoomAsync(CancellationToken cancellationToken) => Task.FromResult(_conversations.Count < _options.MaxConversations);

    public Task<bool> IsOpenAsync(string conversationId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        return Task.FromResult(Find(conversationId, time.GetUtcNow(), touch: false) is not null);
    }

    public Task<AppendedActivity?> AppendAsync(string conversationId, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        ArgumentNullException.ThrowIfNull(activity);
        var now = time.GetUtcNow();
        SweepIfDue(now);
        var conversation = Find(conversationId, now);
        if (conversation is null)
        {
            return Task.FromResult<AppendedActivity?>(null);
        }

        var (copy, bytes) = Copy(activity);
        var originId = string.IsNullOrEmpty(activity.Id) ? null : activity.Id;
        AppendedActivity appended;
        lock (conversation)
        {
            if (conversation.Closed)
            {
                return Task.FromResult<AppendedActivity?>(null);
            }

            if (originId is not null && conversation.ByOrigin.TryGetValue(originId, out var earlier))
            {
                return Task.FromResult<AppendedActivity?>(earlier);
            }

            var sequence = ++conversation.LastSequence;
            // Milliseconds, strictly increasing: browsers order by timestamp and see no finer time.
            var timestamp = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
            if (timestamp <= conversation.LastTimestamp)
            {
                timestamp = conversation.LastTimestamp.AddMilliseconds(1);
            }

            conversation.LastTimestamp = timestamp;
            copy.Id = Format(conversation.Generation, sequence);
            copy.Timestamp = timestamp;
            if (copy.ReplyToId is { } replyTo && !conversation.Ids.Contains(replyTo))
            {
                copy.ReplyToId = null;
            }

            appended = new AppendedActivity(copy.Id, timestamp);
            conversation.Entries.Add(new Entry(sequence, copy, originId, bytes));
            conversation.Bytes += bytes;
            conversation.Ids.Add(copy.Id);
            if (originId is not null)
            {
                conversation.ByOrigin[originId] = appended;
            }

            // Oldest first, until both the count and the byte budget hold (the newest activity always stays).
            var excess = 0;
            var kept = conversation.Bytes;
            while (excess < conversation.Entries.Count - 1
                && (conversation.Entries.Count - excess > _options.MaxActivitiesPerConversation || kept > _options.MaxBytesPerConversation))
            {
                kept -= conversation.Entries[excess].Bytes;
                excess++;
            }

            if (excess > 0)
            {
                foreach (var dropped in conversation.Entries.Take(excess))
                {
                    conversation.Ids.Remove(dropped.Activity.Id!);
                    if (dropped.OriginId is not null)
                    {
                        conversation.ByOrigin.Remove(dropped.OriginId);
                    }
                }

                conversation.Entries.RemoveRange(0, excess);
                conversation.Bytes = kept;
            }
        }

        Notify(conversationId, null);
        return Task.FromResult<AppendedActivity?>(appended);
    }

    public Task<ActivitySet?> ReadAsync(string conversationId, string? watermark, int max, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var now = time.GetUtcNow();
        SweepIfDue(now);
        var conversation = Find(conversationId, now);
        if (conversation is null)
        {
            return Task.FromResult<ActivitySet?>(null);
        }

        lock (conversation)
        {
            var after = Parse(watermark, conversation.Generation);
            var entries = conversation.Entries;
            var start = entries.Count == 0 ? 0 : (int)Math.Clamp(after + 1 - entries[0].Sequence, 0, entries.Count);
            var page = entries.Skip(start).Take(max).ToList();
            var next = page.Count > 0 ? page[^1].Sequence : conversation.LastSequence;
            return Task.FromResult<ActivitySet?>(new ActivitySet([.. page.Select(e => e.Activity)], Format(conversation.Generation, next)));
        }
    }

    public Task PublishAsync(string conversationId, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        ArgumentNullException.ThrowIfNull(activity);
        if (Find(conversationId, time.GetUtcNow()) is not null)
        {
            var (copy, _) = Copy(activity);
            copy.Timestamp ??= time.GetUtcNow();
            Notify(conversationId, copy);
        }

        return Task.CompletedTask;
    }

    public IDirectLineSubscription Subscribe(string conversationId)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        var subscription = new Subscription(this, conversationId);
        lock (_subscribers)
        {
            if (!_subscribers.TryGetValue(conversationId, out var list))
            {
                _subscribers[conversationId] = list = [];
            }

            list.Add(subscription);
        }

        return subscription;
    }

    /// <summary>The conversation if it is open; an idle one past its time is dropped here rather than served.</summary>
    private Conversation? Find(string conversationId, DateTimeOffset now, bool touch = true)
    {
        if (!_conversations.TryGetValue(conversationId, out var conversation))
        {
            return null;
        }

        lock (conversation)
        {
            if (!conversation.Closed && now - conversation.LastUsed <= _options.IdleTimeout)
            {
                if (touch)
                {
                    conversation.LastUsed = now;
                }

                return conversation;
            }

            conversation.Closed = true;
        }

        _conversations.TryRemove(new KeyValuePair<string, Conversation>(conversationId, conversation));
        return null;
    }

    private void SweepIfDue(DateTimeOffset now)
    {
        var due = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextSweepTicks, (now + SweepInterval).UtcTicks, due) != due)
        {
            return;
        }

        foreach (var id in _conversations.Keys)
        {
            Find(id, now, touch: false);
        }
    }

    private void Notify(string conversationId, Activity? update)
    {
        lock (_subscribers)
        {
            if (_subscribers.TryGetValue(conversationId, out var list))
            {
                foreach (var subscription in list)
                {
                    subscription.Channel.Writer.TryWrite(update);
                }
            }
        }
    }

    private void Unsubscribe(Subscription subscription)
    {
        lock (_subscribers)
        {
            if (_subscribers.TryGetValue(subscription.ConversationId, out var list) && list.Remove(subscription) && list.Count == 0)
            {
                _subscribers.Remove(subscription.ConversationId);
            }
        }
    }

    /// <summary>A deep copy, so the sender changing its object later cannot change what clients read.</summary>
    /// <summary>A copy the caller cannot change afterwards, and its size as JSON (what the conversation's byte budget counts).</summary>
    private static (Activity Copy, int Bytes) Copy(Activity activity)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(activity, ProtocolJson.Options);
        return (JsonSerializer.Deserialize<Activity>(json, ProtocolJson.Options)!, json.Length);
    }

    private static string NewGeneration() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(GenerationLength / 2));

    private static string Format(string generation, long sequence) =>
        generation + sequence.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>The sequence number a watermark of this generation stands for; 0 (from the start) for any other.</summary>
    private static long Parse(string? watermark, string generation) =>
        watermark is { Length: > GenerationLength }
        && watermark.StartsWith(generation, StringComparison.Ordinal)
        && long.TryParse(watermark.AsSpan(GenerationLength), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            ? sequence
            : 0;

    private sealed record Entry(long Sequence, Activity Activity, string? OriginId, int Bytes);

    private sealed class Conversation(string generation, DateTimeOffset now)
    {
        public string Generation { get; } = generation;

        public List<Entry> Entries { get; } = [];

        public HashSet<string> Ids { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, AppendedActivity> ByOrigin { get; } = new(StringComparer.Ordinal);

        public long LastSequence { get; set; }

        /// <summary>The JSON size of <see cref="Entries"/>.</summary>
        public long Bytes { get; set; }

        public DateTimeOffset LastTimestamp { get; set; } = DateTimeOffset.MinValue;

        public DateTimeOffset LastUsed { get; set; } = now;

        public bool Closed { get; set; }
    }

    private sealed class Subscription(InMemoryDirectLineStore store, string conversationId) : IDirectLineSubscription
    {
        public string ConversationId { get; } = conversationId;

        public Channel<Activity?> Channel { get; } = System.Threading.Channels.Channel.CreateBounded<Activity?>(
            new BoundedChannelOptions(SubscriberBacklog) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        public ChannelReader<Activity?> Updates => Channel.Reader;

        public void Dispose()
        {
            store.Unsubscribe(this);
            Channel.Writer.TryComplete();
        }
    }
}
