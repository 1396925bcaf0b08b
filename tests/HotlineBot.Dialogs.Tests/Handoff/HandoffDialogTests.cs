using System.Text.Json;
using HotlineBot.BotFramework.Schema;
using HotlineBot.Cases;
using HotlineBot.Dialogs.Conversation;
using HotlineBot.Dialogs.Replies;

namespace HotlineBot.Dialogs.Tests.Handoff;

public sealed class HandoffDialogTests(SeedsFixture fixture) : IDisposable
{
    private readonly SqliteCaseService _cases = new();

    public void Dispose() => _cases.Dispose();

    private BotHarness NewBot() => new(fixture, urgentCases: _cases, cases: _cases);

    private static async Task<(Activity Reply, HotlineMetadata Meta)> AskHandoffAsync(BotHarness bot, string text)
    {
        var (reply, meta) = await bot.AskOneAsync(text);
        Assert.Equal(ReplyKinds.Handoff, meta.Kind);
        Assert.Null(meta.CaseId);
        return (reply, meta);
    }

    [Fact]
    public async Task Handoff_OpensCaseOnDisk_AfterPhoneWindowAndYes_WithPhoneMaskedInSummary()
    {
        var bot = NewBot();
        var (ask, _) = await AskHandoffAsync(bot, "转人工");
        Assert.Contains("发生了什么", ask.Text);
        await AskHandoffAsync(bot, "老板拖欠了我三个月工资");
        await AskHandoffAsync(bot, "13812348000");
        var (summary, _) = await AskHandoffAsync(bot, "工作日上午");
        Assert.Contains("138****8000", summary.Text);
        Assert.DoesNotContain("13812348000", summary.Text);
        Assert.Contains("工作日上午", summary.Text);

        var (done, meta) = await bot.AskOneAsync("是");

        Assert.Equal(ReplyKinds.Handoff, meta.Kind);
        Assert.NotNull(meta.CaseId);
        Assert.Contains(meta.CaseId, done.Text);
        Assert.Contains("工作人员会在", done.Text);
        Assert.Contains("隐私", done.Text);
        Assert.DoesNotContain("13812348000", done.Text);
        var stored = await _cases.Store.GetAsync(meta.CaseId, TestContext.Current.CancellationToken);
        Assert.NotNull(stored);
        Assert.Equal(CasePriority.Normal, stored.Priority);
        Assert.Equal(CaseStatus.New, stored.Status);
        Assert.Equal("13812348000", stored.Worker.CallbackPhone);
        Assert.Equal("conv-1", stored.Worker.ConversationId);
        Assert.Contains("三个月工资", stored.Description);
        Assert.Contains(stored.History, e => e.Action == "open" && e.Note!.Contains("工作日上午", StringComparison.Ordinal));
        Assert.Equal(meta.CaseId, bot.TurnLog.Records[^1].CaseId);

        // The dialog has ended: the next message is a new one.
        var (next, nextMeta) = await bot.AskOneAsync("加班费怎么算？");
        Assert.Equal(ReplyKinds.Answer, nextMeta.Kind);
        Assert.NotNull(next.Text);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("电话是1381234")]
    [InlineData("加班费怎么算？")]
    public async Task InvalidPhone_IsAskedAgain_WithKindHandoff(string answer)
    {
        var bot = NewBot();
        await AskHandoffAsync(bot, "转人工");
        await AskHandoffAsync(bot, "被辞退了没有补偿");

        var (retry, _) = await AskHandoffAsync(bot, answer);

        Assert.Contains("号码好像不对", retry.Text);
        var (window, _) = await AskHandoffAsync(bot, "010-12345678");
        Assert.Contains("时间", window.Text);
    }

    [Fact]
    public async Task SkippingPhoneAndWindow_OpensCaseWithoutPhone()
    {
        var bot = NewBot();
        await AskHandoffAsync(bot, "转人工");
        await AskHandoffAsync(bot, "工伤单位不认");
        await AskHandoffAsync(bot, "跳过");
        var (summary, _) = await AskHandoffAsync(bot, "不用");
        Assert.Contains("不留电话", summary.Text);

        var (_, meta) = await bot.AskOneAsync("好的");

        Assert.Equal(ReplyKinds.Handoff, meta.Kind);
        var stored = await _cases.Store.GetAsync(meta.CaseId!, TestContext.Current.CancellationToken);
        Assert.NotNull(stored);
        Assert.Null(stored.Worker.CallbackPhone);
    }

    [Fact]
    public async Task NoAtConfirmation_CancelsPolitely_AndOpensNoCase()
    {
        var bot = NewBot();
        await AskHandoffAsync(bot, "转人工");
        await AskHandoffAsync(bot, "工资被扣");
        await AskHandoffAsync(bot, "13812348000");
        await AskHandoffAsync(bot, "随时");

        var (reply, _) = await AskHandoffAsync(bot, "否");

        Assert.Contains("没有登记工单", reply.Text);
        Assert.Empty(await _cases.Store.ListByConversationAsync(Inbound.ChannelId, "conv-1", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Cancel_MidDialog_EndsHandoff_WithKindHandoff()
    {
        var bot = NewBot();
        await AskHandoffAsync(bot, "转人工");
        await AskHandoffAsync(bot, "工资被扣");

        var (reply, _) = await AskHandoffAsync(bot, "取消");

        Assert.Contains("不转人工", reply.Text);
        var (next, meta) = await bot.AskOneAsync("加班费怎么算？");
        Assert.Equal(ReplyKinds.Answer, meta.Kind);
        Assert.NotNull(next);
        Assert.Empty(await _cases.Store.ListByConversationAsync(Inbound.ChannelId, "conv-1", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Emergency_MidDialog_ComesFirst_OpensUrgentCase_AndEndsHandoff()
    {
        var bot = NewBot();
        await AskHandoffAsync(bot, "转人工");
        await AskHandoffAsync(bot, "工资被扣");

        var (reply, meta) = await bot.AskOneAsync("工友从脚手架上摔下来了，流了很多血");

        Assert.Equal(ReplyKinds.Emergency, meta.Kind);
        Assert.NotNull(meta.CaseId);
        Assert.Contains(meta.CaseId, reply.Text);
        var stored = await _cases.Store.GetAsync(meta.CaseId, TestContext.Current.CancellationToken);
        Assert.Equal(CasePriority.Urgent, stored!.Priority);
        var (_, after) = await bot.AskOneAsync("加班费怎么算？");
        Assert.Equal(ReplyKinds.Answer, after.Kind);
    }

    [Fact]
    public async Task PolicyQuestion_WhileHandoffAsksForPhone_IsTakenAsTheAnswer()
    {
        var bot = NewBot();
        await AskHandoffAsync(bot, "转人工");
        await AskHandoffAsync(bot, "工资被扣");

        var (retry, _) = await AskHandoffAsync(bot, "加班费怎么算？");

        Assert.Contains("号码", retry.Text);
    }

    public static TheoryData<string> DevHandoffCases()
    {
        var data = new TheoryData<string>();
        foreach (var line in File.ReadLines(Path.Combine(SeedsFixture.Directory, "regression.jsonl")).Where(l => l.Contains("\"handoff\"", StringComparison.Ordinal)))
        {
            using var json = JsonDocument.Parse(line);
            data.Add(json.RootElement.GetProperty("q").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DevHandoffCases))]
    [InlineData("转人工")]
    [InlineData("找人工")]
    [InlineData("人工客服")]
    [InlineData("让工作人员联系我")]
    [InlineData("让工作人员给我回电话")]
    [InlineData("找真人")]
    [InlineData("人工服务")]
    public async Task PersonRequest_StartsHandoff_WithKindHandoff(string question)
    {
        var bot = NewBot();

        var (reply, _) = await AskHandoffAsync(bot, question);

        Assert.Contains("发生了什么", reply.Text);
    }

    [Fact]
    public async Task PersonRequest_ThatSaysWhatHappened_SkipsTheFirstQuestion()
    {
        var bot = NewBot();

        var (reply, _) = await AskHandoffAsync(bot, "老板拖欠工资三个月了，转人工");

        Assert.Contains("回电号码", reply.Text);
    }

    [Theory]
    [InlineData("人工客服几点上班")]
    [InlineData("人工客服几点上班？")]
    public async Task QuestionAboutTheService_IsAnsweredFromTheKnowledgeBase(string question)
    {
        Assert.False(PersonRequest.IsRequest(question));
        var bot = NewBot();

        var (_, meta) = await bot.AskOneAsync(question);

        Assert.Equal(ReplyKinds.Answer, meta.Kind);
    }

    [Fact]
    public async Task NotSolved_OnAnAnswer_StartsHandoff_WithTheQuestionAsDescription()
    {
        var bot = NewBot();
        var (answer, _) = await bot.AskOneAsync("加班费怎么算？");
        var notSolved = answer.SuggestedActions!.Actions.Single(a => a.Title == Feedback.NotSolvedText);

        var replies = await bot.SendAsync(Inbound.Press(notSolved));

        var reply = Assert.Single(replies);
        Assert.Equal(ReplyKinds.Handoff, reply.GetHotlineMetadata()!.Kind);
        Assert.Contains("回电号码", reply.Text);
        await AskHandoffAsync(bot, "跳过");
        await AskHandoffAsync(bot, "跳过");
        var (_, meta) = await bot.AskOneAsync("是");
        var stored = await _cases.Store.GetAsync(meta.CaseId!, TestContext.Current.CancellationToken);
        Assert.Contains("加班", stored!.Description);
    }

    [Fact]
    public async Task FallbackButton_StartsHandoff()
    {
        var bot = NewBot();
        var (fallback, meta) = await bot.AskOneAsync("附近有什么好吃的");
        Assert.Equal(ReplyKinds.Fallback, meta.Kind);
        var button = fallback.SuggestedActions!.Actions.First(a => a.Title == PersonRequest.ButtonText);

        var replies = await bot.SendAsync(Inbound.Press(button));

        Assert.Equal(ReplyKinds.Handoff, Assert.Single(replies).GetHotlineMetadata()!.Kind);
    }

    [Fact]
    public async Task MyCases_ListsTheConversationsCases_WithStatusInChinese()
    {
        var bot = NewBot();
        var (none, noneMeta) = await bot.AskOneAsync("我的工单");
        Assert.Equal(ReplyKinds.Status, noneMeta.Kind);
        Assert.Contains("还没有工单", none.Text);

        await AskHandoffAsync(bot, "转人工");
        await AskHandoffAsync(bot, "工资被扣");
        await AskHandoffAsync(bot, "跳过");
        await AskHandoffAsync(bot, "随时");
        var (_, opened) = await bot.AskOneAsync("是");

        var (status, meta) = await bot.AskOneAsync("进度");

        Assert.Equal(ReplyKinds.Status, meta.Kind);
        Assert.Contains(opened.CaseId!, status.Text);
        Assert.Contains("待受理", status.Text);
        var (_, other) = await bot.AskOneAsync("工单进度", conversationId: "conv-2");
        Assert.Equal(ReplyKinds.Status, other.Kind);
    }

    [Fact]
    public async Task MyCases_WhileHandoffWaits_KeepsTheHandoffWaiting()
    {
        var bot = NewBot();
        await AskHandoffAsync(bot, "转人工");
        await AskHandoffAsync(bot, "工资被扣");

        var (_, meta) = await bot.AskOneAsync("我的工单");
        Assert.Equal(ReplyKinds.Status, meta.Kind);

        var (window, _) = await AskHandoffAsync(bot, "13812348000");
        Assert.Contains("时间", window.Text);
    }
}
