using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Schema;

namespace HotlineBot.Dialogs.Tests;

/// <summary>Plays the channel: runs a turn through the bot and collects what the turn sent.</summary>
internal sealed class TestAdapter : BotAdapter
{
    private readonly List<Activity> _sent = [];
    private int _nextId;

    public IReadOnlyList<Activity> Sent
    {
        get
        {
            lock (_sent)
            {
                return [.. _sent];
            }
        }
    }

    public override Task<ResourceResponse[]> SendActivitiesAsync(ITurnContext turnContext, IReadOnlyList<Activity> activities, CancellationToken cancellationToken)
    {
        lock (_sent)
        {
            _sent.AddRange(activities);
            return Task.FromResult(activities.Select(_ => new ResourceResponse($"sent-{++_nextId}")).ToArray());
        }
    }

    /// <summary>Runs one incoming activity through the bot; returns the activities this turn sent.</summary>
    public async Task<IReadOnlyList<Activity>> ProcessAsync(Activity activity, IBot bot, CancellationToken cancellationToken = default)
    {
        var replies = new List<Activity>();
        var context = new TurnContext(this, activity);
        context.OnSendActivities(async (ctx, activities, next) =>
        {
            replies.AddRange(activities);
            return await next();
        });
        await RunPipelineAsync(context, bot.OnTurnAsync, cancellationToken);
        return replies;
    }
}

/// <summary>Activities as a Web Chat or Direct Line client sends them.</summary>
internal static class Inbound
{
    public const string ChannelId = "directline";
    public const string UserId = "worker-1";
    public const string BotId = "hotline-bot";

    public static Activity Message(string? text, string conversationId = "conv-1", string userId = UserId) => new()
    {
        Type = ActivityTypes.Message,
        Id = Guid.NewGuid().ToString("n"),
        ChannelId = ChannelId,
        ServiceUrl = "http://127.0.0.1:9/",
        Locale = "zh-CN",
        Timestamp = DateTimeOffset.UtcNow,
        From = new ChannelAccount { Id = userId, Name = "worker", Role = RoleTypes.User },
        Recipient = new ChannelAccount { Id = BotId, Role = RoleTypes.Bot },
        Conversation = new ConversationAccount { Id = conversationId },
        Text = text,
    };

    /// <summary>What a client sends when the worker presses a button: its text (imBack value, or messageBack text with the value beside it).</summary>
    public static Activity Press(CardAction action, string conversationId = "conv-1")
    {
        var activity = Message(action.Type == ActionTypes.MessageBack ? action.Text : action.Value?.GetString(), conversationId);
        if (action.Type == ActionTypes.MessageBack)
        {
            activity.Value = action.Value;
        }

        return activity;
    }

    public static Activity MembersAdded(params string[] memberIds) => new()
    {
        Type = ActivityTypes.ConversationUpdate,
        Id = Guid.NewGuid().ToString("n"),
        ChannelId = ChannelId,
        ServiceUrl = "http://127.0.0.1:9/",
        From = new ChannelAccount { Id = memberIds.FirstOrDefault(id => id != BotId) ?? UserId, Role = RoleTypes.User },
        Recipient = new ChannelAccount { Id = BotId, Role = RoleTypes.Bot },
        Conversation = new ConversationAccount { Id = "conv-1" },
        MembersAdded = [.. memberIds.Select(id => new ChannelAccount { Id = id, Role = id == BotId ? RoleTypes.Bot : RoleTypes.User })],
    };
}
