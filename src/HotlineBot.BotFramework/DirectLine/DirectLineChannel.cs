using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Integration;
using HotlineBot.BotFramework.Schema;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotlineBot.BotFramework.DirectLine;

/// <summary>
/// The Direct Line channel's side of a conversation: issuing tokens, starting conversations (the bot hears
/// a <c>conversationUpdate</c> with the user added, once), and taking what users send: each activity is
/// stored as its echo first, then runs through the adapter's turn pipeline with the bot. One conversation's
/// turns run one at a time, in the order they arrived, so its dialog state is never written by two turns at
/// once. Turns run to their end even if the client goes away; only the service stopping cancels them.
/// </summary>
public sealed partial class DirectLineChannel(
    BotFrameworkHttpAdapter adapter,
    IBot bot,
    IDirectLineStore store,
    DirectLineTokens tokens,
    IOptions<DirectLineOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<DirectLineChannel> logger)
{
    /// <summary>The longest display name kept from what a client sends.</summary>
    private const int MaxNameLength = 100;

    private readonly KeyedGate _turns = new();

    public DirectLineOptions Options => options.Value;

    public IDirectLineStore Store => store;

    public DirectLineTokens Tokens => tokens;

    /// <summary>A token for a new conversation, for the given user or a new one (<c>dl_</c>...).</summary>
    public DirectLineToken IssueToken(string? userId = null) =>
        tokens.Issue(DirectLineTokens.NewConversationId(), userId ?? DirectLineTokens.NewUserId());

    /// <summary>
    /// Opens the token's conversation; the first time, the bot is told that the user (and the bot) joined, so
    /// its welcome is waiting when the client connects. True when this call opened it.
    /// </summary>
    public async Task<bool> StartAsync(DirectLineToken token, string? locale, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (!await store.OpenAsync(token.ConversationId, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var user = new ChannelAccount { Id = token.UserId, Role = RoleTypes.User };
        var update = new Activity
        {
            Type = ActivityTypes.ConversationUpdate,
            Id = Guid.NewGuid().ToString("n"),
            Timestamp = DateTimeOffset.UtcNow,
            ChannelId = DirectLineOptions.ChannelId,
            ServiceUrl = DirectLineOptions.ServiceUrl,
            Conversation = new ConversationAccount { Id = token.ConversationId },
            From = user,
            Recipient = Bot(),
            MembersAdded = [Bot(), new ChannelAccount { Id = token.UserId, Role = RoleTypes.User }],
            Locale = string.IsNullOrWhiteSpace(locale) ? null : locale.Trim(),
        };
        await RunTurnAsync(update).ConfigureAwait(false);
        LogStarted(logger, token.ConversationId);
        return true;
    }

    /// <summary>
    /// Takes an activity a user sent into the token's conversation: it is addressed as this channel's (the
    /// token's user as sender, whatever the client wrote; the bot as recipient), stored as the echo the client
    /// waits for (typing is not stored), and run through the bot. Returns the id the echo carries.
    /// </summary>
    public async Task<string> PostAsync(DirectLineToken token, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(activity);
        Address(activity, token);
        await store.OpenAsync(token.ConversationId, cancellationToken).ConfigureAwait(false);
        var stopping = lifetime.ApplicationStopping;
        var entered = await _turns.EnterAsync(token.ConversationId, options.Value.MaxWaitingTurns, stopping).ConfigureAwait(false);
        try
        {
            if (activity.Type == ActivityTypes.Typing)
            {
                activity.Id = Guid.NewGuid().ToString("n");
                activity.Timestamp = DateTimeOffset.UtcNow;
            }
            else
            {
                var echo = await store.AppendAsync(token.ConversationId, activity, stopping).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"Direct Line conversation {token.ConversationId} closed while a message arrived.");
                activity.Id = echo.Id;
                activity.Timestamp = echo.Timestamp;
            }
        }
        catch
        {
            entered.Dispose();
            throw;
        }

        // The turn holds the conversation until it ends; a slow one does not keep the post (and Web Chat's
        // 20-second send timer) waiting: the id goes back and the replies follow on the stream.
        var turn = RunEnteredTurnAsync(activity, entered, stopping);
        await Task.WhenAny(turn, Task.Delay(options.Value.TurnWait, cancellationToken)).ConfigureAwait(false);
        return activity.Id!;
    }

    private async Task RunEnteredTurnAsync(Activity activity, IDisposable entered, CancellationToken stopping)
    {
        using (entered)
        {
            await adapter.ProcessActivityAsync(activity, bot, stopping).ConfigureAwait(false);
        }
    }

    private async Task RunTurnAsync(Activity activity)
    {
        var stopping = lifetime.ApplicationStopping;
        using (await _turns.EnterAsync(activity.Conversation!.Id!, int.MaxValue, stopping).ConfigureAwait(false))
        {
            await adapter.ProcessActivityAsync(activity, bot, stopping).ConfigureAwait(false);
        }
    }

    private void Address(Activity activity, DirectLineToken token)
    {
        activity.Id = null;
        activity.Timestamp = null;
        activity.ChannelId = DirectLineOptions.ChannelId;
        activity.ServiceUrl = DirectLineOptions.ServiceUrl;
        activity.Conversation = new ConversationAccount { Id = token.ConversationId };
        var name = activity.From?.Name?.Trim();
        activity.From = new ChannelAccount
        {
            Id = token.UserId,
            Name = string.IsNullOrEmpty(name) ? null : name[..Math.Min(name.Length, MaxNameLength)],
            Role = RoleTypes.User,
        };
        activity.Recipient = Bot();
        // expectReplies would keep the bot's replies in the turn instead of the conversation's stream.
        activity.DeliveryMode = null;
        activity.CallerId = null;
    }

    private ChannelAccount Bot() => new() { Id = Options.BotId, Name = Options.BotName, Role = RoleTypes.Bot };

    [LoggerMessage(Level = LogLevel.Information, Message = "Direct Line conversation {ConversationId} started.")]
    private static partial void LogStarted(ILogger logger, string conversationId);

    /// <summary>One holder at a time per key; a key's gate exists only while someone holds or waits for it.</summary>
    private sealed class KeyedGate
    {
        private readonly Dictionary<string, Gate> _gates = new(StringComparer.Ordinal);

        /// <exception cref="DirectLineBusyException">More than <paramref name="maxWaiting"/> already wait for the key.</exception>
        public async Task<IDisposable> EnterAsync(string key, int maxWaiting, CancellationToken cancellationToken)
        {
            Gate gate;
            lock (_gates)
            {
                if (!_gates.TryGetValue(key, out gate!))
                {
                    _gates[key] = gate = new Gate();
                }

                // Users = the holder and those waiting behind it.
                if (gate.Users > maxWaiting)
                {
                    throw new DirectLineBusyException(key);
                }

                gate.Users++;
            }

            try
            {
                await gate.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                Release(key, gate, entered: false);
                throw;
            }

            return new Entered(this, key, gate);
        }

        private void Release(string key, Gate gate, bool entered)
        {
            if (entered)
            {
                gate.Semaphore.Release();
            }

            lock (_gates)
            {
                if (--gate.Users == 0)
                {
                    _gates.Remove(key);
                    gate.Semaphore.Dispose();
                }
            }
        }

        private sealed class Gate
        {
            public SemaphoreSlim Semaphore { get; } = new(1, 1);

            public int Users { get; set; }
        }

        private sealed class Entered(KeyedGate owner, string key, Gate gate) : IDisposable
        {
            private int _disposed;

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _disposed, 1) == 0)
                {
                    owner.Release(key, gate, entered: true);
                }
            }
        }
    }
}

/// <summary>Too many of a conversation's messages already wait for its turn: this one is refused (429).</summary>
public sealed class DirectLineBusyException(string conversationId)
    : InvalidOperationException($"Too many messages wait in Direct Line conversation {conversationId}.")
{
    public string ConversationId { get; } = conversationId;
}
