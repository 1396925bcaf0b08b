using HotlineBot.BotFramework.Schema;

namespace HotlineBot.BotFramework.Builder;

/// <summary>Connects the bot to a channel: runs the middleware and the bot for a turn, and sends what the turn sends.</summary>
public abstract class BotAdapter
{
    private readonly List<IMiddleware> _middleware = [];

    public BotAdapter Use(IMiddleware middleware)
    {
        _middleware.Add(middleware ?? throw new ArgumentNullException(nameof(middleware)));
        return this;
    }

    /// <summary>Sends activities the turn produced into its conversation.</summary>
    public abstract Task<ResourceResponse[]> SendActivitiesAsync(ITurnContext turnContext, IReadOnlyList<Activity> activities, CancellationToken cancellationToken);

    /// <summary>Starts a turn in an existing conversation, for proactive messages.</summary>
    public virtual Task ContinueConversationAsync(ConversationReference reference, Func<ITurnContext, CancellationToken, Task> callback, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(callback);
        var context = new TurnContext(this, reference.GetContinuationActivity());
        return RunPipelineAsync(context, callback, cancellationToken);
    }

    /// <summary>Runs the middleware in order, then <paramref name="callback"/>.</summary>
    protected Task RunPipelineAsync(ITurnContext turnContext, Func<ITurnContext, CancellationToken, Task> callback, CancellationToken cancellationToken)
    {
        Task Next(int index, CancellationToken token) => index < _middleware.Count
            ? _middleware[index].OnTurnAsync(turnContext, t => Next(index + 1, t), token)
            : callback(turnContext, token);

        return Next(0, cancellationToken);
    }
}
