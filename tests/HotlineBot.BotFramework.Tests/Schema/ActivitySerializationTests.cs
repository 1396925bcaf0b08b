using System.Text.Json;
using System.Text.Json.Nodes;
using HotlineBot.BotFramework.Schema;

namespace HotlineBot.BotFramework.Tests.Schema;

public class ActivitySerializationTests
{
    // Shaped after the examples of botframework-activity.md and what Web Chat posts.
    private const string WebChatMessage = """
        {
          "type": "message",
          "id": "4Cq2PVQFeti",
          "timestamp": "2026-11-30T03:21:48.123Z",
          "localTimestamp": "2026-11-30T11:21:48.123+08:00",
          "localTimezone": "Asia/Shanghai",
          "serviceUrl": "https://directline.botframework.com/",
          "channelId": "webchat",
          "from": { "id": "dl_123", "name": "工人", "role": "user" },
          "conversation": { "id": "ABCD1234-xyz" },
          "recipient": { "id": "hotline-bot@abc", "name": "HotlineBot", "role": "bot" },
          "textFormat": "plain",
          "locale": "zh-CN",
          "text": "老板拖欠工资怎么办",
          "attachments": [],
          "entities": [
            { "type": "ClientCapabilities", "requiresBotState": true, "supportsListening": true, "supportsTts": true }
          ],
          "channelData": { "clientActivityID": "1732936908123abcdef", "clientTimestamp": "2026-11-30T03:21:48.120Z" },
          "futureProperty": { "nested": [1, 2, 3] }
        }
        """;

    private const string BotReply = """
        {
          "type": "message",
          "from": { "id": "hotline-bot", "role": "bot" },
          "conversation": { "id": "c1" },
          "recipient": { "id": "u1" },
          "replyToId": "a1",
          "text": "**加班费按150%支付**",
          "textFormat": "markdown",
          "attachments": [
            { "contentType": "application/vnd.microsoft.card.hero",
              "content": { "title": "你想问的是哪一个？", "buttons": [ { "type": "imBack", "title": "加班费怎么算", "value": "加班费怎么算" } ] } }
          ],
          "suggestedActions": { "actions": [ { "type": "imBack", "title": "有帮助", "value": "有帮助" } ] },
          "channelData": { "hotline": { "kind": "answer", "entryId": "overtime-pay-rates", "confidence": 0.82 } },
          "inputHint": "acceptingInput"
        }
        """;

    [Theory]
    [InlineData(WebChatMessage)]
    [InlineData(BotReply)]
    public void Activity_RoundTripsEveryProperty_IncludingUnknownOnes(string json)
    {
        var activity = JsonSerializer.Deserialize<Activity>(json, ProtocolJson.Options)!;

        var written = JsonSerializer.Serialize(activity, ProtocolJson.Options);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(written)), written);
    }

    [Fact]
    public void Activity_ReadsTypedFields_OfAWebChatMessage()
    {
        var activity = JsonSerializer.Deserialize<Activity>(WebChatMessage, ProtocolJson.Options)!;

        Assert.Equal(ActivityTypes.Message, activity.Type);
        Assert.Equal("ABCD1234-xyz", activity.Conversation?.Id);
        Assert.Equal(RoleTypes.User, activity.From?.Role);
        Assert.Equal("ClientCapabilities", Assert.Single(activity.Entities!).Type);
        Assert.True(activity.Properties!.ContainsKey("futureProperty"));
    }

    [Fact]
    public void CreateReply_AddressesTheSender_InTheSameConversation()
    {
        var incoming = JsonSerializer.Deserialize<Activity>(WebChatMessage, ProtocolJson.Options)!;

        var reply = incoming.CreateReply("你好");

        Assert.Equal(incoming.Id, reply.ReplyToId);
        Assert.Equal(incoming.From!.Id, reply.Recipient!.Id);
        Assert.Equal(incoming.Recipient!.Id, reply.From!.Id);
        Assert.Equal(RoleTypes.Bot, reply.From.Role);
        Assert.Equal(incoming.Conversation!.Id, reply.Conversation!.Id);
        Assert.Equal(incoming.ServiceUrl, reply.ServiceUrl);
    }
}
