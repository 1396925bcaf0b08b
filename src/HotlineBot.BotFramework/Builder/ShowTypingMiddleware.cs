using HotlineBot.BotFramework.Schema;

namespace HotlineBot.BotFramework.Builder;

/// <summary>
/// Shows the user that the bot is working on a slow turn: when a message turn has not finished
/// after <c>delay</c>, a typing activity is sent, then again every <c>period</c> until it ends (as Bot
/// Builder's ShowTypingMiddleware). Turns answered in the HTTP response (expectReplies) get none.
/// </summary>
public sealed class ShowTypingMiddleware(TimeSpan delay, TimeSpan period) : IMiddleware
{
    public ShowTypingMiddleware()
        : this(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2))
    {
    }

    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(next);
        if (turnContext.Activity.Type != ActivityTypes.Message || turnContext.Activity.DeliveryMode == DeliveryModes.ExpectReplies)
        {
            await next(cancellationToken).ConfigureAwait(false);
            return;
        }

        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var typing = SendTypingAsync(turnContext, done.Token);
        try
        {
            await next(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await done.CancelAsync().ConfigureAwait(false);
            await typing.ConfigureAwait(false);
        }
    }

    private async Task SendTypingAsync(ITurnContext turnContext, CancellationToken done)
    {
        try
        {
            await Task.Delay(delay, done).ConfigureAwait(false);
            while (!done.IsCancellationRequested)
            {
                await turnContext.SendActivityAsync(Activity.CreateTypingActivity(), done).ConfigureAwait(false);
                await Task.Delay(period, done).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The turn ended: no more typing.
        }
    }
}
