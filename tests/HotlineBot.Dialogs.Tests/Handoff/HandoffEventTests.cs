using System.Text.Json;
using HotlineBot.BotFramework.Schema;
using HotlineBot.Cases;
using HotlineBot.Dialogs.Handoff;
using HotlineBot.Dialogs.Replies;

namespace HotlineBot.Dialogs.Tests.Handoff;

public sealed class HandoffEventTests(SeedsFixture fixture) : IDisposable
{
    private readonly SqliteCaseService _cases = new();

    public void Dispose() => _cases.Dispose();

    private BotHarness NewBot() => new(fixture, urgentCases: _cases, cases: _cases);

    private static JsonElement TranscriptOf(Activity handoff)
    {
        var attachment = Assert.Single(handoff.Attachments!);
        Assert.Equal("application/json", attachment.ContentType);
        Assert.Equal("Transcript", attachment.Name);
        return attachment.Content!.Value.GetProperty("activities");
    }

    [Fact]
    public async Task EmergencyCase_IsFollowedByHandoffInitiate_WithUrgentContextAndTheTurnAsTranscript()
    {
        var bot = NewBot();

        var replies = await bot.AskAsync("工友从脚手架上摔下来了，流了很多血，我电话13812348000");

        Assert.Equal([ActivityTypes.Message, ActivityTypes.Event], replies.Select(a => a.Type));
        var caseId = replies[0].GetHotlineMetadata()!.CaseId;
        var handoff = replies[1];
        Assert.Equal(HandoffEvents.Initiate, handoff.Name);
        Assert.Null(handoff.GetHotlineMetadata());
        Assert.Equal("conv-1", handoff.Conversation!.Id);
        Assert.Equal("conv-1", handoff.RelatesTo!.Conversation!.Id);
        var value = handoff.Value!.Value;
        Assert.Equal(caseId, value.GetProperty("caseId").GetString());
        Assert.Equal("urgent", value.GetProperty("priority").GetString());
        Assert.Equal("assistance", value.GetProperty("category").GetString());
        Assert.Equal("emergency", value.GetProperty("trigger").GetString());
        var transcript = TranscriptOf(handoff).EnumerateArray().ToList();
        Assert.Equal(2, transcript.Count);
        Assert.Equal(RoleTypes.User, transcript[0].GetProperty("from").GetProperty("role").GetString());
        Assert.Contains("138****8000", transcript[0].GetProperty("text").GetString());
        Assert.DoesNotContain("13812348000", handoff.Attachments![0].Content!.Value.GetRawText());
        Assert.Equal("emergency", transcript[1].GetProperty("channelData").GetProperty("hotline").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task HandoffConfirmation_IsFollowedByHandoffInitiate_NamingTheNewCase()
    {
        var bot = NewBot();
        await bot.AskAsync("转人工");
        await bot.AskAsync("公司要投诉，老板拖欠工资");
        await bot.AskAsync("跳过");
        await bot.AskAsync("随时");

        var replies = await bot.AskAsync("是");

        Assert.Equal([ActivityTypes.Message, ActivityTypes.Event], replies.Select(a => a.Type));
        var confirmation = replies[0].GetHotlineMetadata()!;
        Assert.Equal(ReplyKinds.Handoff, confirmation.Kind);
        var value = replies[1].Value!.Value;
        Assert.Equal(confirmation.CaseId, value.GetProperty("caseId").GetString());
        Assert.Equal("normal", value.GetProperty("priority").GetString());
        Assert.Equal("complaint", value.GetProperty("category").GetString());
        Assert.Equal("person-request", value.GetProperty("trigger").GetString());
        var transcript = TranscriptOf(replies[1]).EnumerateArray().ToList();
        Assert.Equal("是", transcript[0].GetProperty("text").GetString());
        Assert.Equal(confirmation.CaseId, transcript[^1].GetProperty("channelData").GetProperty("hotline").GetProperty("caseId").GetString());
    }

    [Fact]
    public void HandoffInitiate_IsWrittenAsTheProtocolShapesIt()
    {
        var incoming = Inbound.Message("转人工");
        var handoff = HandoffEvents.CreateInitiation(incoming, new HandoffContext("C-1", CasePriority.Normal, CaseCategory.LegalAid, "fallback"), [incoming]);

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(handoff, ProtocolJson.Options));

        var root = json.RootElement;
        Assert.Equal("event", root.GetProperty("type").GetString());
        Assert.Equal("handoff.initiate", root.GetProperty("name").GetString());
        Assert.Equal("""{"caseId":"C-1","priority":"normal","category":"legalAid","trigger":"fallback"}""", root.GetProperty("value").GetRawText());
        var attachment = root.GetProperty("attachments")[0];
        Assert.Equal("application/json", attachment.GetProperty("contentType").GetString());
        Assert.Equal("Transcript", attachment.GetProperty("name").GetString());
        Assert.Equal("转人工", attachment.GetProperty("content").GetProperty("activities")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task DeclinedHandoff_SendsNoEvent()
    {
        var bot = NewBot();
        await bot.AskAsync("转人工");
        await bot.AskAsync("工资被扣");
        await bot.AskAsync("跳过");
        await bot.AskAsync("随时");
        var declined = await bot.AskAsync("否");

        Assert.DoesNotContain(declined, a => a.Type == ActivityTypes.Event);
    }
}
