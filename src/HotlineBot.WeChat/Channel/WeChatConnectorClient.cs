using HotlineBot.BotFramework.Connector;
using HotlineBot.BotFramework.Schema;

namespace HotlineBot.WeChat.Channel;

/// <summary>
/// Sends what the bot says outside a push's own turn (operator replies, follow-ups, the satisfaction question) to
/// WeChat followers: an activity whose serviceUrl is <see cref="WeChatActivities.ServiceUrl"/> goes out through the
/// customer-service API; any other goes on to the inner connector. Only message activities have anything to show.
/// </summary>
public sealed class WeChatConnectorClient(IConnectorClient inner, WeChatSender sender) : IConnectorClient
{
    public async Task<ResourceResponse> SendAsync(Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (!WeChatActivities.IsWeChat(activity))
        {
            return await inner.SendAsync(activity, cancellationToken).ConfigureAwait(false);
        }

        // A reply outside the channel's own turn handling: sent like any reply, failures logged, never thrown.
        if (IsShown(activity) && WeChatActivities.OpenIdOf(activity.Conversation?.Id) is { } openId)
        {
            var rendering = await sender.PlanAsync(openId, [activity], passiveSlot: false, cancellationToken).ConfigureAwait(false);
            await sender.SendRepliesAsync(openId, rendering.Messages, cancellationToken).ConfigureAwait(false);
        }

        return new ResourceResponse(activity.Id);
    }

    public async Task<ResourceResponse> DeliverAsync(Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (!WeChatActivities.IsWeChat(activity))
        {
            return await inner.DeliverAsync(activity, cancellationToken).ConfigureAwait(false);
        }

        if (IsShown(activity))
        {
            var openId = WeChatActivities.OpenIdOf(activity.Conversation?.Id)
                ?? throw new ActivityUndeliverableException("会话不是微信会话，无法发送。");
            await sender.DeliverAsync(openId, activity, cancellationToken).ConfigureAwait(false);
        }

        return new ResourceResponse(activity.Id);
    }

    private static bool IsShown(Activity activity) => activity.Type == ActivityTypes.Message;
}
