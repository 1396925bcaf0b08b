using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Schema;

namespace HotlineBot.BotFramework.Tests.Dialogs;

/// <summary>An in-memory channel: runs turns through the middleware and the bot, and keeps what the bot sends.</summary>
public sealed class TestAdapter : BotAdapter
{
    private readonly List<Activity> _sent = [];
    private readonly Lock _lock = new();
    private int _nextId;

    public string ChannelId { get; init; } = "test";

    public string ConversationId { get; init; } = "conversation-1";

    public string UserId { get; init; } = "user-1";

    public string? Locale { get; init; } = "zh-CN";

    public IReadOnlyList<Activity> Sent
    {
        get
        {
            lock (_lock)
            {
                return [.. _sent];
            }
        }
    }

    public override Task<ResourceResponse[]> SendActivitiesAsync(ITurnContext turnContext, IReadOnlyList<Activity> activities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activities);
        lock (_lock)
        {
            _sent.AddRange(activities);
            return Task.FromResult(activities.Select(a => new ResourceResponse(a.Id ??= $"bot-{++_nextId}")).ToArray());
        }
    }

    /// <summary>A message from the user, addressed as a channel would.</summary>
    public Activity MakeMessage(string text) => MakeActivity(ActivityTypes.Message, text);

    public Activity MakeActivity(string type, string? text = null) => new()
    {
        Type = type,
        Id = $"user-{Interlocked.Increment(ref _nextId)}",
        Text = text,
        ChannelId = ChannelId,
        ServiceUrl = "https://test.invalid/",
        Conversation = new ConversationAccount { Id = ConversationId },
        From = new ChannelAccount { Id = UserId, Role = RoleTypes.User },
        Recipient = new ChannelAccount { Id = "bot", Role = RoleTypes.Bot },
        Locale = Locale,
        Timestamp = DateTimeOffset.UtcNow,
    };

    /// <summary>Runs one turn for <paramref name="activity"/> and returns what the bot sent in it.</summary>
    public async Task<IReadOnlyList<Activity>> ProcessActivityAsync(Activity activity, Func<ITurnContext, CancellationToken, Task> bot, CancellationToken cancellationToken)
    {
        int before;
        lock (_lock)
        {
            before = _sent.Count;
        }

        await RunPipelineAsync(new TurnContext(this, activity), bot, cancellationToken);
        lock (_lock)
        {
            return _sent.Skip(before).ToList();
        }
    }

    /// <summary>The user says <paramref name="text"/>; the bot's replies in that turn.</summary>
    public Task<IReadOnlyList<Activity>> SendTextAsync(string text, Func<ITurnContext, CancellationToken, Task> bot, CancellationToken cancellationToken) =>
        ProcessActivityAsync(MakeMessage(text), bot, cancellationToken);
}
