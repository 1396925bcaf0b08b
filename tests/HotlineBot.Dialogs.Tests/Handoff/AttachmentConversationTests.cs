using HotlineBot.BotFramework.Schema;
using HotlineBot.Cases;
using HotlineBot.Dialogs.Replies;

namespace HotlineBot.Dialogs.Tests.Handoff;

/// <summary>A picture the worker sends (as the WeChat channel turns an image message into an activity) goes onto their open case.</summary>
public sealed class AttachmentConversationTests(SeedsFixture fixture) : IDisposable
{
    private const string PicUrl = "http://mmbiz.qpic.cn/mmbiz_jpg/abc123/0";
    private const string MediaId = "media-abc123";

    private readonly SqliteCaseService _cases = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _cases.Dispose();

    [Fact]
    public async Task OpenCase_APicture_IsAttachedToIt_AndTheReplyNamesTheCase()
    {
        var bot = NewBot();
        var caseId = await CaseSteps.OpenThroughTheBotAsync(bot);

        var reply = Assert.Single(await bot.SendAsync(Picture()));

        Assert.Equal(new HotlineMetadata(ReplyKinds.Status, CaseId: caseId), reply.GetHotlineMetadata());
        Assert.Equal($"收到，图片已附到工单 {caseId}，工作人员处理时能看到。还有情况可以直接打字补充。", reply.Text);
        var stored = (await _cases.Store.GetAsync(caseId, Token))!;
        var attachment = Assert.Single(stored.Attachments);
        Assert.Equal((MediaId, "image/jpeg", PicUrl), (attachment.Name, attachment.ContentType, attachment.Url));
        Assert.Single(stored.History, e => e.Action == "attachment" && e.Note == "职工发来图片");
        Assert.Equal(("attachment-added", caseId), (bot.TurnLog.Records[^1].Reason, bot.TurnLog.Records[^1].CaseId));
    }

    [Fact]
    public async Task OpenCase_TheSamePictureTwice_IsKeptOnce()
    {
        var bot = NewBot();
        var caseId = await CaseSteps.OpenThroughTheBotAsync(bot);

        await bot.SendAsync(Picture());
        var (reply, meta) = Single(await bot.SendAsync(Picture()));

        Assert.Equal((ReplyKinds.Status, caseId), (meta.Kind, meta.CaseId));
        Assert.Contains(caseId, reply.Text, StringComparison.Ordinal);
        Assert.Single((await _cases.Store.GetAsync(caseId, Token))!.Attachments);
    }

    [Fact]
    public async Task NoCase_APicture_AsksForWords_AsBefore()
    {
        var bot = NewBot();

        var reply = Assert.Single(await bot.SendAsync(Picture()));

        Assert.Equal(HotlineReplies.AskForText(true).Text, reply.Text);
        Assert.Equal(ReplyKinds.Prompt, reply.GetHotlineMetadata()?.Kind);
        Assert.Equal("attachments-only", bot.TurnLog.Records[^1].Reason);
    }

    [Fact]
    public async Task OnlyAResolvedCase_APicture_IsNotAttached_AndAsksForWords()
    {
        var bot = NewBot();
        var caseId = await CaseSteps.OpenThroughTheBotAsync(bot);
        await _cases.Workflow.ClaimAsync(caseId, CaseSteps.Operator, asAdmin: false, Token);
        await _cases.Workflow.ResolveAsync(caseId, CaseSteps.Operator, "已联系公司，工资本周补发", asAdmin: false, Token);

        var reply = Assert.Single(await bot.SendAsync(Picture()));

        Assert.Equal(ReplyKinds.Prompt, reply.GetHotlineMetadata()?.Kind);
        Assert.Empty((await _cases.Store.GetAsync(caseId, Token))!.Attachments);
    }

    [Fact]
    public async Task OpenCase_AnAttachmentWithNoWebLink_IsNotAttached_AndAsksForWords()
    {
        var bot = NewBot();
        var caseId = await CaseSteps.OpenThroughTheBotAsync(bot);
        var voice = Picture();
        voice.Attachments = [new Attachment { ContentType = "audio/amr", Name = "voice-1" }];

        var reply = Assert.Single(await bot.SendAsync(voice));

        Assert.Equal(ReplyKinds.Prompt, reply.GetHotlineMetadata()?.Kind);
        Assert.Empty((await _cases.Store.GetAsync(caseId, Token))!.Attachments);
    }

    [Fact]
    public async Task HeldCase_APicture_IsAttached_TheCaseGoesBackToItsOperator_AndNoAnnouncementIsUsedUp()
    {
        var bot = NewBot();
        var caseId = await CaseSteps.HeldAndWaitingForWorkerAsync(bot, _cases);

        var reply = Assert.Single(await bot.SendAsync(Picture()));
        var (announce, meta) = await bot.AskOneAsync("是顺达物流公司");

        Assert.Equal(new HotlineMetadata(ReplyKinds.Status, CaseId: caseId), reply.GetHotlineMetadata());
        Assert.Contains("图片已附到工单", reply.Text, StringComparison.Ordinal);
        var stored = (await _cases.Store.GetAsync(caseId, Token))!;
        Assert.Equal(PicUrl, Assert.Single(stored.Attachments).Url);
        Assert.Equal(CaseStatus.WaitingForOperator, stored.Status);
        Assert.Contains(_cases.Notifier.Notifications, n => n.CaseId == caseId && n.Kind == "worker-message" && n.Text.Contains("图片", StringComparison.Ordinal));
        // The first words after the picture still say once who has the case.
        Assert.Equal((ReplyKinds.Status, caseId), (meta.Kind, meta.CaseId));
        Assert.Contains(CaseSteps.Operator, announce.Text, StringComparison.Ordinal);
    }

    private BotHarness NewBot() => new(fixture, urgentCases: _cases, cases: _cases);

    /// <summary>An image message as the WeChat channel delivers it: no text, one attachment with the picture's link and media id.</summary>
    private static Activity Picture()
    {
        var picture = Inbound.Message(null);
        picture.Attachments = [new Attachment { ContentType = "image/jpeg", ContentUrl = PicUrl, Name = MediaId }];
        return picture;
    }

    private static (Activity Reply, HotlineMetadata Meta) Single(IReadOnlyList<Activity> replies)
    {
        var reply = Assert.Single(replies, a => a.Type == ActivityTypes.Message);
        return (reply, reply.GetHotlineMetadata()!);
    }
}
