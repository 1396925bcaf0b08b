using System.Text.Json.Nodes;
using HotlineBot.Cases;
using HotlineBot.Cases.Storage;

namespace HotlineBot.Tests.Integration;

/// <summary>The handoff through the real host: the case lands in &lt;data&gt;/cases.db with the conversation's recent lines.</summary>
public sealed class HandoffHostTests : IDisposable
{
    private readonly string _dataDirectory = TempDataDirectory.Create();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose() => TempDataDirectory.Delete(_dataDirectory);

    [Fact]
    public async Task Handoff_OpensCaseInCasesDb_WithTranscript_AndEmergencyOpensUrgentCase()
    {
        var conversationId = BotClient.NewConversationId();
        string caseId;
        string urgentId;
        await using (var host = await HotlineHost.StartAsync(_dataDirectory, Cancellation))
        {
            async Task<JsonObject> Say(string text, string expectedKind)
            {
                var replies = BotClient.Messages(await BotClient.ExchangeAsync(host.Client, BotClient.Message(text, conversationId), Cancellation));
                var reply = Assert.Single(replies);
                Assert.Equal(expectedKind, BotClient.Kind(reply));
                return reply;
            }

            await Say("周末加班工资怎么算", "answer");
            await Say("转人工", "handoff");
            await Say("周末加班老板不给加班费", "handoff");
            await Say("13812348000", "handoff");
            var summary = await Say("工作日下午", "handoff");
            Assert.Contains("138****8000", (string?)summary["text"]);
            var done = await Say("是", "handoff");
            caseId = (string)done["channelData"]!["hotline"]!["caseId"]!;
            Assert.Contains(caseId, (string?)done["text"]);

            var status = await Say("我的工单", "status");
            Assert.Contains(caseId, (string?)status["text"]);

            var emergency = await Say("工友从脚手架上摔下来了，流了很多血", "emergency");
            urgentId = (string)emergency["channelData"]!["hotline"]!["caseId"]!;
        }

        using var store = new SqliteCaseStore(Path.Combine(_dataDirectory, "cases.db"));
        var stored = await store.GetAsync(caseId, Cancellation);
        Assert.NotNull(stored);
        Assert.Equal(CasePriority.Normal, stored.Priority);
        Assert.Equal("13812348000", stored.Worker.CallbackPhone);
        Assert.Contains(conversationId, stored.Worker.ConversationReferenceJson);
        Assert.NotNull(stored.FirstResponseDue);
        Assert.Contains(stored.Transcript, l => l.Role == TranscriptRole.Worker && l.Text.Contains("周末加班工资怎么算", StringComparison.Ordinal));
        Assert.Contains(stored.Transcript, l => l.Role == TranscriptRole.Bot);
        Assert.DoesNotContain(stored.Transcript, l => l.Text.Contains("13812348000", StringComparison.Ordinal));
        var urgent = await store.GetAsync(urgentId, Cancellation);
        Assert.Equal(CasePriority.Urgent, urgent!.Priority);
    }

    [Fact]
    public async Task HandoffInitiateEvent_CarriesTheConversationSoFar_Masked()
    {
        var conversationId = BotClient.NewConversationId();
        await using var host = await HotlineHost.StartAsync(_dataDirectory, Cancellation);
        IReadOnlyList<JsonObject> replies = [];
        foreach (var text in new[] { "周末加班工资怎么算", "转人工", "周末加班老板不给加班费", "13812348000", "工作日下午", "是" })
        {
            replies = await BotClient.ExchangeAsync(host.Client, BotClient.Message(text, conversationId), Cancellation);
        }

        var handoff = Assert.Single(replies, r => (string?)r["type"] == "event" && (string?)r["name"] == "handoff.initiate");
        var caseId = (string?)handoff["value"]!["caseId"];
        Assert.Equal(caseId, (string?)BotClient.Messages(replies)[0]["channelData"]!["hotline"]!["caseId"]);
        var attachment = Assert.Single(handoff["attachments"]!.AsArray())!;
        Assert.Equal("Transcript", (string?)attachment["name"]);
        var texts = attachment["content"]!["activities"]!.AsArray().Select(a => (string?)a!["text"]).ToList();
        Assert.Contains("周末加班工资怎么算", texts);
        Assert.Contains(texts, t => t?.Contains("138****8000", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(texts, t => t?.Contains("13812348000", StringComparison.Ordinal) == true);
    }
}
