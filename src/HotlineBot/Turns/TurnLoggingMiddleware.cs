using HotlineBot.BotFramework.Builder;
using HotlineBot.Cases;

namespace HotlineBot.Turns;

/// <summary>Structured logging of each turn in and each reply out, with phone and ID numbers masked.</summary>
public sealed partial class TurnLoggingMiddleware(ILogger<TurnLoggingMiddleware> logger) : BotFramework.Builder.IMiddleware
{
    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(next);
        var activity = turnContext.Activity;
        LogIncoming(logger, activity.Type, activity.ChannelId, activity.Conversation?.Id, PersonalData.Mask(activity.Text));
        turnContext.OnSendActivities(async (context, activities, sendNext) =>
        {
            foreach (var reply in activities)
            {
                LogOutgoing(logger, reply.Type, context.Activity.Conversation?.Id, PersonalData.Mask(reply.Text));
            }

            return await sendNext().ConfigureAwait(false);
        });
        await next(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Turn {Type} from {Channel} in {Conversation}: {Text}")]
    private static partial void LogIncoming(ILogger logger, string? type, string? channel, string? conversation, string text);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reply {Type} in {Conversation}: {Text}")]
    private static partial void LogOutgoing(ILogger logger, string? type, string? conversation, string text);
}
