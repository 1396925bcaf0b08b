using System.Text.Json;
using HotlineBot.BotFramework.Schema;
using HotlineBot.BotFramework.State;

namespace HotlineBot.BotFramework.Builder;

/// <summary>
/// Keeps the latest <see cref="ConversationReference"/> of every conversation in storage, so that
/// the bot can later write into it (an operator's reply, a reminder, a satisfaction question).
/// </summary>
public sealed class ConversationReferences(IStorage storage)
{
    public static string Key(string channelId, string conversationId) => $"references/{channelId}/{conversationId}";

    public async Task SaveAsync(Activity activity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (activity.ChannelId is not { Length: > 0 } channel || activity.Conversation?.Id is not { Length: > 0 } conversation)
        {
            return;
        }

        var reference = activity.GetConversationReference();
        var value = JsonSerializer.SerializeToElement(reference, ProtocolJson.Options);
        await storage.WriteAsync(new Dictionary<string, StoreItem> { [Key(channel, conversation)] = new(value, StoreItem.AnyETag) }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ConversationReference?> FindAsync(string channelId, string conversationId, CancellationToken cancellationToken = default)
    {
        var key = Key(channelId, conversationId);
        var items = await storage.ReadAsync([key], cancellationToken).ConfigureAwait(false);
        return items.TryGetValue(key, out var item) ? item.Value.Deserialize<ConversationReference>(ProtocolJson.Options) : null;
    }

    /// <summary>Runs <paramref name="callback"/> in a turn of the stored conversation; false when it is unknown.</summary>
    public async Task<bool> ContinueConversationAsync(BotAdapter adapter, string channelId, string conversationId, Func<ITurnContext, CancellationToken, Task> callback, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        var reference = await FindAsync(channelId, conversationId, cancellationToken).ConfigureAwait(false);
        if (reference is null)
        {
            return false;
        }

        await adapter.ContinueConversationAsync(reference, callback, cancellationToken).ConfigureAwait(false);
        return true;
    }
}

/// <summary>Saves each incoming user activity's conversation reference before the bot runs.</summary>
public sealed class ConversationReferenceMiddleware(ConversationReferences references) : IMiddleware
{
    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(next);
        if (turnContext.Activity.Type is ActivityTypes.Message or ActivityTypes.ConversationUpdate
            && turnContext.Activity.DeliveryMode != DeliveryModes.ExpectReplies)
        {
            await references.SaveAsync(turnContext.Activity, cancellationToken).ConfigureAwait(false);
        }

        await next(cancellationToken).ConfigureAwait(false);
    }
}
