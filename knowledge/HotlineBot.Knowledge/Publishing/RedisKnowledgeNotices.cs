using System.Text.Json;
using HotlineBot.Redis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace HotlineBot.Knowledge.Publishing;

/// <summary>
/// Change notices between instances that share one store, over Redis pub/sub on <c>knowledge:changes</c>.
/// Publishing runs this process's handlers first and waits for them (so an edit is searchable on the
/// instance that made it when the call returns), then tells the others. Each notice names the instance
/// that sent it, and an instance ignores its own when pub/sub brings it back, so it applies a change once.
/// Pub/sub keeps nothing for a subscriber that is away: <see cref="NoticesMayBeLost"/> says when that may
/// have happened, for <see cref="SearchCatchUp"/> to look in the store.
/// </summary>
public sealed class RedisKnowledgeNotices : ILossyKnowledgeNotices, IDisposable
{
    private readonly InProcessKnowledgeNotices _local = new();
    private readonly string _origin = Guid.NewGuid().ToString("N");
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisChannel _channel;
    private readonly ChannelMessageQueue _queue;
    private readonly ILogger _logger;

    /// <param name="redis">The process's shared connection.</param>
    /// <param name="keys">The hotline's key prefix, which names the channel too.</param>
    /// <param name="logger">Where failed notices are reported.</param>
    public RedisKnowledgeNotices(IConnectionMultiplexer redis, RedisKeys keys, ILogger<RedisKnowledgeNotices>? logger = null)
    {
        _redis = redis ?? throw new ArgumentNullException(nameof(redis));
        ArgumentNullException.ThrowIfNull(keys);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _channel = RedisChannel.Literal(keys.Key("knowledge", "changes"));
        _redis.ConnectionRestored += OnConnectionRestored;

        // A queue hands messages over one at a time, so changes are applied in the order they were sent.
        _queue = _redis.GetSubscriber().Subscribe(_channel);
        _queue.OnMessage(ReceiveAsync);
    }

    public event EventHandler? NoticesMayBeLost;

    public async Task PublishAsync(KnowledgeChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        try
        {
            await _local.PublishAsync(change, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await TellOthersAsync(change).ConfigureAwait(false);
        }
    }

    public IDisposable Subscribe(Func<KnowledgeChange, CancellationToken, Task> handler) => _local.Subscribe(handler);

    public void Dispose()
    {
        _redis.ConnectionRestored -= OnConnectionRestored;
        _queue.Unsubscribe();
    }

    private async Task TellOthersAsync(KnowledgeChange change)
    {
        try
        {
            var message = JsonSerializer.Serialize(new Notice(_origin, change.EntryIds));
            await _redis.GetSubscriber().PublishAsync(_channel, message).ConfigureAwait(false);
        }
        catch (RedisException e)
        {
            // The change is stored already; failing the edit now would only invite a retry that conflicts.
            // The other instances find it on their next catch-up.
            _logger.LogWarning(e, "Could not publish the change of entries {Ids}; other instances will catch up from the store", string.Join(", ", change.EntryIds));
        }
    }

    private async Task ReceiveAsync(ChannelMessage message)
    {
        Notice? notice;
        try
        {
            notice = JsonSerializer.Deserialize<Notice>(message.Message.ToString());
        }
        catch (JsonException e)
        {
            _logger.LogWarning(e, "Ignored a malformed knowledge change notice");
            return;
        }

        if (notice is null || notice.Origin == _origin)
        {
            return;
        }

        try
        {
            await _local.PublishAsync(new KnowledgeChange(notice.EntryIds), CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A failed handler must not stop the notices that follow; the catch-up repairs what it missed.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _logger.LogWarning(e, "Applying the change of entries {Ids} failed; catching up from the store", string.Join(", ", notice.EntryIds));
            NoticesMayBeLost?.Invoke(this, EventArgs.Empty);
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) => NoticesMayBeLost?.Invoke(this, EventArgs.Empty);

    private sealed record Notice(string Origin, IReadOnlyList<string> EntryIds);
}
