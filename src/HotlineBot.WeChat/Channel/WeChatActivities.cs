using System.Globalization;
using System.Text.Json;
using HotlineBot.BotFramework.Schema;
using HotlineBot.WeChat.Protocol;
using HotlineBot.WeChat.Storage;

namespace HotlineBot.WeChat.Channel;

/// <summary>
/// How a push becomes a Bot Framework activity: the conversation is <c>wechat:{openid}</c> on channel
/// <see cref="ChannelId"/>, its serviceUrl the in-process <see cref="ServiceUrl"/> (so the connector hands what the bot
/// sends to this channel), and the raw WeChat fields ride along in <c>channelData.wechat</c>.
/// </summary>
public static class WeChatActivities
{
    public const string ChannelId = "wechat";

    /// <summary>Marks activities (and stored conversation references) as this channel's; not a network address.</summary>
    public const string ServiceUrl = "urn:wechat:local";

    private const string ConversationPrefix = "wechat:";

    public static string ConversationId(string openId) => ConversationPrefix + openId;

    /// <summary>The follower a conversation id names, or null when it is not a WeChat conversation.</summary>
    public static string? OpenIdOf(string? conversationId) =>
        conversationId is { Length: > 7 } id && id.StartsWith(ConversationPrefix, StringComparison.Ordinal) ? id[ConversationPrefix.Length..] : null;

    public static bool IsWeChat(Activity? activity) => string.Equals(activity?.ServiceUrl, ServiceUrl, StringComparison.OrdinalIgnoreCase);

    /// <summary>What the channel does with a push: run a turn, answer by itself, or only acknowledge it.</summary>
    public static WeChatIntent Interpret(WeChatInbound push)
    {
        ArgumentNullException.ThrowIfNull(push);
        switch (push.MsgType)
        {
            case "text":
                return Turn(push, Message(push, push.Content), WeChatTrigger.Message);
            case "voice" when !string.IsNullOrWhiteSpace(push.Recognition):
                return Turn(push, Message(push, push.Recognition), WeChatTrigger.Message);
            case "voice":
                return new WeChatIntent.Answer("语音暂时听不了，请直接打字告诉我你遇到的问题；着急的话可以拨打12351职工服务热线（24小时）。", WeChatTrigger.Message);
            case "location":
                return new WeChatIntent.KeepLocation(
                    new WeChatLocation(push.LocationX ?? 0, push.LocationY ?? 0, push.Label, SentAt(push)),
                    LocationReceived(push.Label));
            case "image":
                {
                    var image = Message(push, null);
                    image.Attachments = [new Attachment { ContentType = "image/jpeg", ContentUrl = push.PicUrl, Name = push.MediaId }];
                    return Turn(push, image, WeChatTrigger.Message);
                }

            case "video" or "shortvideo" or "link" or "file":
                {
                    // Nothing the bot can read: it asks for words, as for any attachment without text.
                    var other = Message(push, null);
                    other.Attachments = [new Attachment { ContentType = "application/vnd.wechat." + push.MsgType, Name = push.MediaId }];
                    return Turn(push, other, WeChatTrigger.Message);
                }

            case "event":
                return InterpretEvent(push);
            default:
                return WeChatIntent.Acknowledge.Instance;
        }
    }

    private static WeChatIntent InterpretEvent(WeChatInbound push)
    {
        switch (push.Event)
        {
            case "subscribe":
                {
                    // A new follower: the bot's welcome, as when a user joins any conversation.
                    var joined = Base(push, ActivityTypes.ConversationUpdate);
                    joined.MembersAdded = [new ChannelAccount { Id = push.FromUserName, Role = RoleTypes.User }];
                    return Turn(push, joined, WeChatTrigger.Interaction);
                }

            case "CLICK" when WeChatMenu.TextFor(push.EventKey) is { } text:
                return Turn(push, Message(push, text), WeChatTrigger.Interaction);
            case "SCAN":
                return new WeChatIntent.Acknowledge(WeChatTrigger.Interaction);
            default:
                // unsubscribe, VIEW, LOCATION reports, TEMPLATESENDJOBFINISH…: nothing to say.
                return WeChatIntent.Acknowledge.Instance;
        }
    }

    /// <summary>When the push says it was sent; now when it does not say (0).</summary>
    private static DateTimeOffset SentAt(WeChatInbound push) => push.CreateTime > 0 ? DateTimeOffset.FromUnixTimeSeconds(push.CreateTime) : DateTimeOffset.UtcNow;

    private static string LocationReceived(string? label) =>
        (string.IsNullOrWhiteSpace(label) ? "收到你的位置了。" : $"收到你的位置：{label.Trim()}。")
        + "有什么劳动权益方面的问题，直接打字告诉我；遇到危险请立即拨打110。";

    private static WeChatIntent.RunTurn Turn(WeChatInbound push, Activity activity, WeChatTrigger trigger) => new WeChatIntent.RunTurn(activity, trigger, push.MsgType == "text");

    private static Activity Message(WeChatInbound push, string? text)
    {
        var activity = Base(push, ActivityTypes.Message);
        activity.Text = text?.Trim();
        activity.TextFormat = "plain";
        return activity;
    }

    private static Activity Base(WeChatInbound push, string type)
    {
        var openId = push.FromUserName!;
        return new Activity
        {
            Type = type,
            // The dedup key names the push, so a retried push would carry the same id.
            Id = "wx-" + push.DedupKey.Replace(':', '-'),
            Timestamp = SentAt(push),
            ChannelId = ChannelId,
            ServiceUrl = ServiceUrl,
            Conversation = new ConversationAccount { Id = ConversationId(openId) },
            From = new ChannelAccount { Id = openId, Role = RoleTypes.User },
            Recipient = new ChannelAccount { Id = push.ToUserName, Role = RoleTypes.Bot },
            Locale = "zh-CN",
            ChannelData = ChannelData(push),
        };
    }

    private static JsonElement ChannelData(WeChatInbound push)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["msgType"] = push.MsgType,
            ["msgId"] = push.MsgId?.ToString(CultureInfo.InvariantCulture),
            ["event"] = push.Event,
            ["eventKey"] = push.EventKey,
        };
        return JsonSerializer.SerializeToElement(new Dictionary<string, object>
        {
            ["wechat"] = fields.Where(f => f.Value is not null).ToDictionary(f => f.Key, f => f.Value),
        });
    }
}

/// <summary>What the channel does with one push.</summary>
public abstract record WeChatIntent
{
    private WeChatIntent()
    {
    }

    /// <summary>Runs <paramref name="Activity"/> through the bot; <paramref name="MayPickChoice"/> when a typed number may pick one of the last reply's choices.</summary>
    public sealed record RunTurn(Activity Activity, WeChatTrigger Trigger, bool MayPickChoice) : WeChatIntent;

    /// <summary>Answers with <paramref name="Text"/> without a turn.</summary>
    public sealed record Answer(string Text, WeChatTrigger Trigger) : WeChatIntent;

    /// <summary>Keeps the follower's location for later services and answers with <paramref name="Text"/>.</summary>
    public sealed record KeepLocation(WeChatLocation Location, string Text) : WeChatIntent;

    /// <summary>Nothing to say ("success"); <paramref name="Trigger"/> when the push still opens a reply window.</summary>
    public sealed record Acknowledge(WeChatTrigger? Trigger = null) : WeChatIntent
    {
        public static Acknowledge Instance { get; } = new();
    }
}

/// <summary>A location a follower sent (Location_X is the latitude, Location_Y the longitude).</summary>
public sealed record WeChatLocation(double Latitude, double Longitude, string? Label, DateTimeOffset SentAt);
