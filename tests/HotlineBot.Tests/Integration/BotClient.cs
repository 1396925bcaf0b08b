using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace HotlineBot.Tests.Integration;

/// <summary>Builds activities as a channel (the Emulator, Web Chat) sends them, as raw JSON, and posts them to /api/messages.</summary>
internal static partial class BotClient
{
    public const string BotId = "hotline-bot";

    /// <summary>A serviceUrl nothing listens on: expectReplies must not need it.</summary>
    public static readonly Uri UnusedServiceUrl = new("http://127.0.0.1:9/");

    public static readonly Uri MessagesPath = new("/api/messages", UriKind.Relative);

    private static readonly string[] Kinds = ["answer", "clarify", "fallback", "handoff", "emergency", "smalltalk", "prompt", "status", "operator", "survey"];

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex Iso8601();

    public static string NewConversationId() => "conv-" + Guid.NewGuid().ToString("N")[..12];

    public static JsonObject Message(string text, string conversationId, Uri? serviceUrl = null, bool expectReplies = true)
    {
        var activity = Envelope("message", conversationId, serviceUrl, expectReplies);
        activity["text"] = text;
        activity["textFormat"] = "plain";
        return activity;
    }

    /// <summary>A conversationUpdate adding the bot and the user, as the Emulator sends when a chat opens.</summary>
    public static JsonObject MembersAdded(string conversationId, Uri? serviceUrl = null, bool expectReplies = true)
    {
        var activity = Envelope("conversationUpdate", conversationId, serviceUrl, expectReplies);
        activity["membersAdded"] = new JsonArray(
            new JsonObject { ["id"] = BotId, ["name"] = "HotlineBot" },
            new JsonObject { ["id"] = UserId(conversationId), ["name"] = "工友" });
        return activity;
    }

    public static string UserId(string conversationId) => "user-" + conversationId;

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, JsonObject activity, CancellationToken cancellationToken) =>
        PostRawAsync(client, activity.ToJsonString(), cancellationToken);

    public static async Task<HttpResponseMessage> PostRawAsync(HttpClient client, string body, CancellationToken cancellationToken)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        return await client.PostAsync(MessagesPath, content, cancellationToken);
    }

    /// <summary>Posts an expectReplies activity and returns the replies from the response body (asserting 200).</summary>
    public static async Task<IReadOnlyList<JsonObject>> ExchangeAsync(HttpClient client, JsonObject activity, CancellationToken cancellationToken)
    {
        using var response = await PostAsync(client, activity, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"HTTP {(int)response.StatusCode}: {body}");
        var replies = JsonNode.Parse(body)?["activities"] as JsonArray;
        Assert.NotNull(replies);
        return [.. replies.Select(r => Assert.IsType<JsonObject>(r))];
    }

    /// <summary>The message activities among the replies (events such as handoff.initiate are not messages).</summary>
    public static List<JsonObject> Messages(IEnumerable<JsonObject> replies) => [.. replies.Where(r => (string?)r["type"] == "message")];

    public static string? Kind(JsonObject reply) => (string?)reply["channelData"]?["hotline"]?["kind"];

    /// <summary>What every message the bot sends carries: from.role bot, replyToId, the conversation, an ISO 8601 timestamp, a known kind.</summary>
    public static void AssertReplyEnvelope(JsonObject reply, JsonObject incoming)
    {
        var json = reply.ToJsonString();
        Assert.Equal("message", (string?)reply["type"]);
        Assert.True((string?)reply["from"]?["role"] == "bot", "from.role is not bot: " + json);
        Assert.Equal(BotId, (string?)reply["from"]?["id"]);
        Assert.True((string?)reply["replyToId"] == (string?)incoming["id"], "replyToId is not the incoming id: " + json);
        Assert.True((string?)reply["conversation"]?["id"] == (string?)incoming["conversation"]?["id"], "conversation.id not echoed: " + json);
        var timestamp = (string?)reply["timestamp"];
        Assert.True(timestamp is not null && Iso8601().IsMatch(timestamp), "timestamp is not ISO 8601: " + json);
        Assert.True(DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            && Math.Abs((DateTimeOffset.UtcNow - at).TotalMinutes) < 5, "timestamp is not now: " + json);
        Assert.True(Kinds.Contains(Kind(reply)), "channelData.hotline.kind missing or unknown: " + json);
    }

    private static JsonObject Envelope(string type, string conversationId, Uri? serviceUrl, bool expectReplies)
    {
        var activity = new JsonObject
        {
            ["type"] = type,
            ["id"] = "act-" + Guid.NewGuid().ToString("N")[..12],
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["localTimestamp"] = DateTimeOffset.Now.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
            ["channelId"] = "emulator",
            ["serviceUrl"] = (serviceUrl ?? UnusedServiceUrl).ToString(),
            ["from"] = new JsonObject { ["id"] = UserId(conversationId), ["name"] = "工友", ["role"] = "user" },
            ["recipient"] = new JsonObject { ["id"] = BotId, ["name"] = "HotlineBot", ["role"] = "bot" },
            ["conversation"] = new JsonObject { ["id"] = conversationId },
            ["locale"] = "zh-CN",
        };
        if (expectReplies)
        {
            activity["deliveryMode"] = "expectReplies";
        }

        return activity;
    }
}
