using HotlineBot.BotFramework.Schema;
using HotlineBot.Cases;
using HotlineBot.Dialogs.Conversation;
using HotlineBot.Dialogs.Replies;

namespace HotlineBot.Dialogs.Tests.Handoff;

public sealed class RelayConversationTests(SeedsFixture fixture) : IDisposable
{
    private readonly SqliteCaseService _cases = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _cases.Dispose();

    private BotHarness NewBot() => new(fixture, urgentCases: _cases, cases: _cases);

    [Fact]
    public async Task HeldCase_TheFirstMessageIsAnnouncedOnce_ThenTheBotStaysSilent()
    {
        var bot = NewBot();
        var caseId = await CaseSteps.HeldAndWaitingForWorkerAsync(bot, _cases);

        var (announce, meta) = await bot.AskOneAsync("加班费怎么算？");
        var second = await bot.AskAsync("是顺达物流公司");
        var third = await bot.AskAsync("你好");

        Assert.Equal(ReplyKinds.Status, meta.Kind);
        Assert.Equal(caseId, meta.CaseId);
        Assert.Contains(CaseSteps.Operator, announce.Text);
        Assert.Contains(caseId, announce.Text);
        Assert.Empty(second);
        Assert.Empty(third);
        var stored = await _cases.Store.GetAsync(caseId, Token);
        Assert.Contains(stored!.Transcript, l => l.Role == TranscriptRole.Worker && l.Text == "加班费怎么算？");
        Assert.Contains(stored.Transcript, l => l.Role == TranscriptRole.Worker && l.Text == "是顺达物流公司");
        Assert.All(bot.TurnLog.Records.TakeLast(3), r => Assert.Equal(caseId, r.CaseId));
        Assert.Equal(["relayed-announced", "relayed", "relayed"], bot.TurnLog.Records.TakeLast(3).Select(r => r.Reason));
        Assert.Equal(string.Empty, bot.TurnLog.Records[^1].Kind);
    }

    [Fact]
    public async Task WorkerWriting_MovesTheCase_FromWaitingForWorker_ToWaitingForOperator()
    {
        var bot = NewBot();
        var caseId = await CaseSteps.HeldAndWaitingForWorkerAsync(bot, _cases);
        Assert.Equal(CaseStatus.WaitingForWorker, (await _cases.Store.GetAsync(caseId, Token))!.Status);

        await bot.AskAsync("是顺达物流公司");

        var stored = await _cases.Store.GetAsync(caseId, Token);
        Assert.Equal(CaseStatus.WaitingForOperator, stored!.Status);
        Assert.Contains(_cases.Notifier.Notifications, n => n.CaseId == caseId && n.Kind == "worker-message" && n.Operator == CaseSteps.Operator);
    }

    [Theory]
    [InlineData("取消")]
    [InlineData("转人工")]
    [InlineData("有帮助")]
    public async Task HeldCase_CommandsAndButtons_GoToTheOperator_NotToTheBot(string text)
    {
        var bot = NewBot();
        var caseId = await CaseSteps.HeldAndWaitingForWorkerAsync(bot, _cases);
        await bot.AskAsync("在吗");

        var replies = await bot.AskAsync(text);

        Assert.Empty(replies);
        var stored = await _cases.Store.GetAsync(caseId, Token);
        Assert.Contains(stored!.Transcript, l => l.Role == TranscriptRole.Worker && l.Text == text);
    }

    [Fact]
    public async Task HeldCase_MyCases_IsAnsweredByTheService_AndNotRelayed()
    {
        var bot = NewBot();
        var caseId = await CaseSteps.HeldAndWaitingForWorkerAsync(bot, _cases);

        var replies = await bot.AskAsync("我的工单");

        var status = Assert.Single(replies);
        Assert.Equal(ReplyKinds.Status, status.GetHotlineMetadata()?.Kind);
        Assert.Contains(caseId, status.Text, StringComparison.Ordinal);
        var stored = await _cases.Store.GetAsync(caseId, Token);
        Assert.DoesNotContain(stored!.Transcript, l => l.Role == TranscriptRole.Worker && l.Text == "我的工单");
    }

    [Fact]
    public async Task HeldCase_AVoiceMessageOnly_IsNotRelayed_AndTheWorkerIsAskedForText()
    {
        var bot = NewBot();
        var caseId = await CaseSteps.HeldAndWaitingForWorkerAsync(bot, _cases);
        // No web link to keep on the case (a picture with one is attached: AttachmentConversationTests).
        var picture = Inbound.Message(null);
        picture.Attachments = [new Attachment { ContentType = "audio/amr", Name = "voice-1" }];

        var reply = Assert.Single(await bot.SendAsync(picture));

        Assert.Equal(new HotlineMetadata(ReplyKinds.Status, CaseId: caseId), reply.GetHotlineMetadata());
        Assert.Contains("文字", reply.Text);
        Assert.Equal(CaseStatus.WaitingForWorker, (await _cases.Store.GetAsync(caseId, Token))!.Status);
    }

    [Fact]
    public async Task HeldCase_EndsTheDialogThatWasWaiting()
    {
        var bot = NewBot();
        var caseId = await CaseSteps.OpenThroughTheBotAsync(bot);
        await bot.AskAsync("转人工");
        await _cases.Workflow.ClaimAsync(caseId, CaseSteps.Operator, asAdmin: false, Token);

        await bot.AskAsync("工伤的事");
        await _cases.Workflow.ResolveAsync(caseId, CaseSteps.Operator, "已答复", asAdmin: false, Token);

        // Resolved: the bot answers again, and the handoff that was asking before the operator took over is gone.
        var (_, meta) = await bot.AskOneAsync("加班费怎么算？");
        Assert.Equal(ReplyKinds.Answer, meta.Kind);
    }

    [Fact]
    public async Task Emergency_DuringRelay_GivesTheNumbersFirst_AndTheOperatorStillGetsTheText()
    {
        var bot = NewBot();
        var caseId = await CaseSteps.HeldAndWaitingForWorkerAsync(bot, _cases);
        const string danger = "工友从脚手架上摔下来了，流了很多血";

        var replies = await bot.AskAsync(danger);

        var messages = replies.Where(a => a.Type == ActivityTypes.Message).ToList();
        var emergency = messages[0].GetHotlineMetadata()!;
        Assert.Equal(ReplyKinds.Emergency, emergency.Kind);
        Assert.StartsWith("请马上拨打120", messages[0].Text, StringComparison.Ordinal);
        Assert.NotNull(emergency.CaseId);
        Assert.NotEqual(caseId, emergency.CaseId);
        // The worker's replies go to the operator now: no button the bot would have to answer.
        Assert.DoesNotContain(messages[0].SuggestedActions!.Actions, a => a.Title == CallbackRequest.ButtonText);
        Assert.Equal([ReplyKinds.Emergency, ReplyKinds.Status], messages.Select(m => m.GetHotlineMetadata()!.Kind));
        var stored = await _cases.Store.GetAsync(caseId, Token);
        Assert.Contains(stored!.Transcript, l => l.Role == TranscriptRole.Worker && l.Text == danger);
        Assert.Equal(CaseStatus.WaitingForOperator, stored.Status);
    }
}
