using HotlineBot.BotFramework.Builder;

namespace HotlineBot.BotFramework.State;

/// <summary>State of one user on a channel, under <c>{channelId}/users/{userId}</c>.</summary>
public class UserState(IStorage storage) : BotState(storage, nameof(UserState))
{
    protected override string GetStorageKey(ITurnContext turnContext)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var channelId = turnContext.Activity.ChannelId;
        var userId = turnContext.Activity.From?.Id;
        if (string.IsNullOrEmpty(channelId) || string.IsNullOrEmpty(userId))
        {
            throw new InvalidOperationException("User state needs the activity's channelId and from.id.");
        }

        return $"{channelId}/users/{userId}";
    }
}
