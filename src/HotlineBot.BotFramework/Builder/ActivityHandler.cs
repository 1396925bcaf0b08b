using HotlineBot.BotFramework.Schema;

namespace HotlineBot.BotFramework.Builder;

/// <summary>Dispatches a turn by activity type to overridable handlers (as Bot Builder's ActivityHandler).</summary>
public class ActivityHandler : IBot
{
    public virtual Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        return turnContext.Activity.Type switch
        {
            ActivityTypes.Message => OnMessageActivityAsync(turnContext, cancellationToken),
            ActivityTypes.ConversationUpdate => OnConversationUpdateActivityAsync(turnContext, cancellationToken),
            ActivityTypes.Event => OnEventActivityAsync(turnContext, cancellationToken),
            ActivityTypes.Invoke => OnInvokeActivityAsync(turnContext, cancellationToken),
            ActivityTypes.EndOfConversation => OnEndOfConversationActivityAsync(turnContext, cancellationToken),
            ActivityTypes.Typing => OnTypingActivityAsync(turnContext, cancellationToken),
            _ => OnUnrecognizedActivityTypeAsync(turnContext, cancellationToken),
        };
    }

    protected virtual Task OnMessageActivityAsync(ITurnContext turnContext, CancellationToken cancellationToken) => Task.CompletedTask;

    protected virtual Task OnConversationUpdateActivityAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        var botId = activity.Recipient?.Id;
        var added = activity.MembersAdded?.Where(m => m.Id != botId).ToList();
        if (added is { Count: > 0 })
        {
            return OnMembersAddedAsync(added, turnContext, cancellationToken);
        }

        var removed = activity.MembersRemoved?.Where(m => m.Id != botId).ToList();
        return removed is { Count: > 0 } ? OnMembersRemovedAsync(removed, turnContext, cancellationToken) : Task.CompletedTask;
    }

    protected virtual Task OnMembersAddedAsync(IReadOnlyList<ChannelAccount> membersAdded, ITurnContext turnContext, CancellationToken cancellationToken) => Task.CompletedTask;

    protected virtual Task OnMembersRemovedAsync(IReadOnlyList<ChannelAccount> membersRemoved, ITurnContext turnContext, CancellationToken cancellationToken) => Task.CompletedTask;

    protected virtual Task OnEventActivityAsync(ITurnContext turnContext, CancellationToken cancellationToken) => Task.CompletedTask;

    protected virtual Task OnInvokeActivityAsync(ITurnContext turnContext, CancellationToken cancellationToken) => Task.CompletedTask;

    protected virtual Task OnEndOfConversationActivityAsync(ITurnContext turnContext, CancellationToken cancellationToken) => Task.CompletedTask;

    protected virtual Task OnTypingActivityAsync(ITurnContext turnContext, CancellationToken cancellationToken) => Task.CompletedTask;

    protected virtual Task OnUnrecognizedActivityTypeAsync(ITurnContext turnContext, CancellationToken cancellationToken) => Task.CompletedTask;
}
