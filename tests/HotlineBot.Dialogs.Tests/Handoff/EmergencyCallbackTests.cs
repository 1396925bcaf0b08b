using HotlineBot.BotFramework.Schema;
using HotlineBot.Dialogs.Conversation;
using HotlineBot.Dialogs.Replies;

namespace HotlineBot.Dialogs.Tests.Handoff;

public sealed class EmergencyCallbackTests(SeedsFixture fixture) : IDisposable
{
    private const string Danger = "工友从脚手架上摔下来了，流了很多血";

    private readonly SqliteCaseService _cases = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _cases.Dispose();

    private BotHarness NewBot() => new(fixture, urgentCases: _cases, cases: _cases);

    /// <summary>The emergency, then the worker presses 请工作人员回电; returns the urgent case and the first question.</summary>
    private static async Task<(string UrgentCaseId, Activity Ask)> PressCallbackAsync(BotHarness bot)
    {
        var (emergency, meta) = await bot.AskOneAsync(Danger);
        Assert.Equal(ReplyKinds.Emergency, meta.Kind);
        var button = Assert.Single(emergency.SuggestedActions!.Actions, a => a.Title == CallbackRequest.ButtonText);
        var replies = await bot.SendAsync(Inbound.Press(button));
        var ask = Assert.Single(replies);
        Assert.Equal(new HotlineMetadata(ReplyKinds.Handoff), ask.GetHotlineMetadata());
        return (meta.CaseId!, ask);
    }

    [Fact]
    public async Task EmergencyReply_WithAnUrgentCase_OffersACallbackAfterTheNumbers()
    {
        var bot = NewBot();

        var (reply, meta) = await bot.AskOneAsync(Danger);

        Assert.NotNull(meta.CaseId);
        var actions = reply.SuggestedActions!.Actions;
        Assert.Equal(ActionTypes.Call, actions[0].Type);
        Assert.Equal(CallbackRequest.ButtonText, actions[^1].Title);
    }

    [Fact]
    public async Task Callback_AddsThePhoneAndWindowToTheUrgentCase_WithoutOpeningAnother()
    {
        var bot = NewBot();
        var (urgentId, ask) = await PressCallbackAsync(bot);
        Assert.Contains("回电号码", ask.Text);
        Assert.DoesNotContain("发生了什么", ask.Text);

        var (window, _) = await bot.AskOneAsync("13812348000");
        Assert.Contains("时间", window.Text);
        var (summary, summaryMeta) = await bot.AskOneAsync("工作日上午");
        Assert.Equal(ReplyKinds.Handoff, summaryMeta.Kind);
        Assert.Contains(urgentId, summary.Text);
        Assert.Contains("138****8000", summary.Text);
        var replies = await bot.AskAsync("是");

        var done = Assert.Single(replies);
        var meta = done.GetHotlineMetadata()!;
        Assert.Equal(ReplyKinds.Handoff, meta.Kind);
        Assert.Equal(urgentId, meta.CaseId);
        Assert.Contains("138****8000", done.Text);
        Assert.DoesNotContain("13812348000", done.Text);
        var stored = await _cases.Store.GetAsync(urgentId, Token);
        Assert.Equal("13812348000", stored!.Worker.CallbackPhone);
        Assert.Equal("工作日上午", stored.FollowUp.CallbackWindow);
        Assert.Contains(stored.History, e => e.Action == "callback");
        Assert.Single(await _cases.Store.ListByConversationAsync(Inbound.ChannelId, "conv-1", Token));
        Assert.Equal("callback-set", bot.TurnLog.Records[^1].Reason);
        Assert.Equal(urgentId, bot.TurnLog.Records[^1].CaseId);
    }

    [Fact]
    public async Task Callback_SkippingTheNumber_RecordsNothing_AndEndsPolitely()
    {
        var bot = NewBot();
        var (urgentId, _) = await PressCallbackAsync(bot);

        var (reply, meta) = await bot.AskOneAsync("跳过");

        Assert.Equal(new HotlineMetadata(ReplyKinds.Handoff), meta);
        Assert.Contains(urgentId, reply.Text);
        Assert.Contains("不登记回电", reply.Text);
        var stored = await _cases.Store.GetAsync(urgentId, Token);
        Assert.Null(stored!.Worker.CallbackPhone);
        var (_, next) = await bot.AskOneAsync("加班费怎么算？");
        Assert.Equal(ReplyKinds.Answer, next.Kind);
    }

    [Fact]
    public async Task Callback_Cancelled_SaysTheUrgentCaseGoesOn()
    {
        var bot = NewBot();
        var (urgentId, _) = await PressCallbackAsync(bot);

        var (reply, meta) = await bot.AskOneAsync("取消");

        Assert.Equal(ReplyKinds.Handoff, meta.Kind);
        Assert.Contains(urgentId, reply.Text);
        Assert.DoesNotContain("没有登记工单", reply.Text);
    }

    [Fact]
    public async Task Callback_InvalidNumber_IsAskedAgain()
    {
        var bot = NewBot();
        await PressCallbackAsync(bot);

        var (retry, meta) = await bot.AskOneAsync("12345");

        Assert.Equal(ReplyKinds.Handoff, meta.Kind);
        Assert.Contains("号码好像不对", retry.Text);
    }

    [Fact]
    public async Task CallbackButton_WithNoUrgentCaseRemembered_StartsAnOrdinaryHandoff()
    {
        var bot = NewBot();

        var (reply, meta) = await bot.AskOneAsync(CallbackRequest.ButtonText);

        Assert.Equal(ReplyKinds.Handoff, meta.Kind);
        Assert.Contains("发生了什么", reply.Text);
    }

    [Fact]
    public async Task CallbackButton_ForAnUrgentCaseClosedSince_StartsAnOrdinaryHandoff()
    {
        var bot = NewBot();
        var (emergency, meta) = await bot.AskOneAsync(Danger);
        var token = TestContext.Current.CancellationToken;
        await _cases.Workflow.ClaimAsync(meta.CaseId!, CaseSteps.Operator, asAdmin: false, token);
        await _cases.Workflow.ResolveAsync(meta.CaseId!, CaseSteps.Operator, "已电话联系，工友已送医", asAdmin: false, token);
        await _cases.SendSurveyAsync(meta.CaseId!);
        await bot.AskOneAsync("5");

        var replies = await bot.SendAsync(Inbound.Press(emergency.SuggestedActions!.Actions[^1]));

        Assert.Contains("发生了什么", Assert.Single(replies).Text);
    }

    [Fact]
    public async Task CallbackButton_PressedTwice_AsksForANewCaseTheSecondTime()
    {
        var bot = NewBot();
        var (_, _) = await PressCallbackAsync(bot);
        await bot.AskOneAsync("跳过");

        var (reply, _) = await bot.AskOneAsync(CallbackRequest.ButtonText);

        // The urgent case was offered its callback once; a second press is an ordinary request for a person.
        Assert.Contains("发生了什么", reply.Text);
    }
}
