using HotlineBot.BotFramework.Builder;

namespace HotlineBot.BotFramework.State;

/// <summary>State of one conversation, under <c>{channelId}/conversations/{conversationId}</c>.</summary>
public class ConversationState(IStorage storage) : BotState(storage, nameof(ConversationState))
{
    protected override string GetStorageKey(ITurnContext turnContext)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var channelId = turnContext.Activity.ChannelId;
        var conversationId = turnContext.Activity.Conversation?.Id;
        if (string.IsNullOrEmpty(channelId) || string.IsNullOrEmpty(conversationId))
        {
            throw new InvalidOperationException("Conversation state needs the activity's channelId and conversation.id.");
        }

        return $"{channelId}/conversations/{conversationId}";
    }
}
