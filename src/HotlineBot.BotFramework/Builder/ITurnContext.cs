using HotlineBot.BotFramework.Schema;

namespace HotlineBot.BotFramework.Builder;

/// <summary>One turn of a conversation: the incoming activity and the means to answer it (as Bot Builder's ITurnContext).</summary>
public interface ITurnContext
{
    BotAdapter Adapter { get; }

    Activity Activity { get; }

    /// <summary>Per-turn values shared by middleware, state and dialogs.</summary>
    IDictionary<string, object> TurnState { get; }

    bool Responded { get; }

    Task<ResourceResponse> SendActivityAsync(Activity activity, CancellationToken cancellationToken = default);

    Task<ResourceResponse> SendActivityAsync(string text, CancellationToken cancellationToken = default);

    Task<ResourceResponse[]> SendActivitiesAsync(IReadOnlyList<Activity> activities, CancellationToken cancellationToken = default);

    /// <summary>Registers a handler that sees (and may change) every activity this turn sends, before it goes.</summary>
    ITurnContext OnSendActivities(SendActivitiesHandler handler);
}

public delegate Task<ResourceResponse[]> SendActivitiesHandler(ITurnContext turnContext, List<Activity> activities, Func<Task<ResourceResponse[]>> next);

/// <summary>The bot: handles one turn.</summary>
public interface IBot
{
    Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken = default);
}

/// <summary>A step of the turn pipeline that runs around the bot (logging, transcripts, state).</summary>
public interface IMiddleware
{
    Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default);
}

public delegate Task NextDelegate(CancellationToken cancellationToken);
