using System.Text.Json;
using HotlineBot.BotFramework.Dialogs;
using HotlineBot.BotFramework.Schema;
using HotlineBot.BotFramework.State;

namespace HotlineBot.BotFramework.Tests.Dialogs;

public sealed class WaterfallDialogTests
{
    private const string ConversationKey = "test/conversations/conversation-1";

    private readonly MemoryStorage _storage = new();

    [Fact]
    public async Task Waterfall_AsksTextChoiceAndConfirm_AcrossTurns_AndEndsWithTheAnswers()
    {
        var bot = new DialogTestBot(_storage, new ReportDialog());

        var first = Assert.Single(await bot.SayAsync("你好"));
        Assert.Equal(ReportDialog.AskWhatHappened, first.Text);
        Assert.Equal(InputHints.ExpectingInput, first.InputHint);
        Assert.Equal(DialogTurnStatus.Waiting, bot.Results[^1].Status);

        var contact = Assert.Single(await bot.SayAsync("外卖平台拖欠我三个月工资"));
        Assert.Equal(ReportDialog.AskContact, contact.Text);
        Assert.Equal(["电话回拨", "在线留言"], Say.Buttons(contact));
        Assert.All(contact.SuggestedActions!.Actions, a => Assert.Equal(ActionTypes.ImBack, a.Type));
        Assert.Equal("在线留言", contact.SuggestedActions!.Actions[1].Value?.GetString());

        var confirm = Assert.Single(await bot.SayAsync("2"));
        Assert.Equal("您说的是：外卖平台拖欠我三个月工资；联系方式：在线留言。确认提交吗？", confirm.Text);
        Assert.Equal(["是", "否"], Say.Buttons(confirm));

        var done = await bot.SayAsync("好的");
        Assert.Equal([ReportDialog.Submitted], Say.Texts(done));
        var result = bot.Results[^1];
        Assert.Equal(DialogTurnStatus.Complete, result.Status);
        Assert.Equal(new Report("外卖平台拖欠我三个月工资", "在线留言", 1), result.Result);

        // The stack is saved empty, so the next message starts over.
        Assert.Empty(await StoredStackAsync());
        Assert.Equal([ReportDialog.AskWhatHappened], Say.Texts(await bot.SayAsync("还有个问题")));
    }

    [Fact]
    public async Task Waterfall_EndsWithoutResult_WhenTheUserDeclines()
    {
        var bot = new DialogTestBot(_storage, new ReportDialog());
        await bot.SayAsync("你好");
        await bot.SayAsync("老板不给加班费");
        await bot.SayAsync("电话");

        var replies = await bot.SayAsync("不用了");

        Assert.Equal([ReportDialog.NotSubmitted], Say.Texts(replies));
        Assert.Equal(DialogTurnStatus.Complete, bot.Results[^1].Status);
        Assert.Null(bot.Results[^1].Result);
    }

    [Fact]
    public async Task Dialogs_SurviveARestart_BetweenTurns()
    {
        await new DialogTestBot(_storage, new ReportDialog()).SayAsync("你好");
        await new DialogTestBot(_storage, new ReportDialog()).SayAsync("工地包工头跑路了");

        // A bot started afresh over the same storage still holds the choice prompt, retry prompt included.
        var retry = Assert.Single(await new DialogTestBot(_storage, new ReportDialog()).SayAsync("都行吧"));
        Assert.Equal(ReportDialog.AskContactAgain, retry.Text);
        Assert.Equal(["电话回拨", "在线留言"], Say.Buttons(retry));

        var confirm = Assert.Single(await new DialogTestBot(_storage, new ReportDialog()).SayAsync("回电"));
        Assert.Equal("您说的是：工地包工头跑路了；联系方式：电话回拨。确认提交吗？", confirm.Text);

        var last = new DialogTestBot(_storage, new ReportDialog());
        Assert.Equal([ReportDialog.Submitted], Say.Texts(await last.SayAsync("是的")));
        Assert.Equal(new Report("工地包工头跑路了", "电话回拨", 0), last.Results[^1].Result);
    }

    [Fact]
    public async Task Waterfall_KeepsWaiting_WhenANonMessageActivityArrives()
    {
        var bot = new DialogTestBot(_storage, new ReportDialog());
        await bot.SayAsync("你好");

        var replies = await bot.SendAsync(bot.Adapter.MakeActivity(ActivityTypes.ConversationUpdate));

        Assert.Empty(replies);
        Assert.Equal(DialogTurnStatus.Waiting, bot.Results[^1].Status);
        Assert.Equal([ReportDialog.AskContact], Say.Texts(await bot.SayAsync("被辞退没有补偿")));
    }

    [Fact]
    public async Task CancelAllDialogs_EmptiesTheStack_AndTheNextMessageStartsOver()
    {
        var bot = new DialogTestBot(_storage, new ReportDialog());
        await bot.SayAsync("你好");
        await bot.SayAsync("公司拖欠工资");
        var inner = (await StoredStackAsync())[0].GetProperty("state").GetProperty("dialogs").GetProperty("dialogStack");
        Assert.Equal(["contact", "report"], inner.EnumerateArray().Select(d => d.GetProperty("id").GetString()));

        Assert.Equal(["已取消。"], Say.Texts(await bot.SayAsync("取消")));

        Assert.Equal(DialogTurnStatus.Cancelled, bot.Results[^1].Status);
        Assert.Empty(await StoredStackAsync());
        Assert.Equal([ReportDialog.AskWhatHappened], Say.Texts(await bot.SayAsync("你好")));
    }

    [Fact]
    public async Task NextAsync_SkipsAPrompt_WhenTheOptionsAlreadyHoldTheAnswer()
    {
        var dialog = new ComponentDialog("root");
        dialog.AddDialog(new WaterfallDialog("main",
        [
            (step, ct) => step.BeginDialogAsync("phone", "13800138000", ct),
            async (step, ct) =>
            {
                await step.Context.SendActivityAsync($"回拨号码：{step.Result}", ct);
                return await step.EndDialogAsync(step.Result, ct);
            },
        ]));
        dialog.AddDialog(new WaterfallDialog("phone",
        [
            (step, ct) => step.Options is string known
                ? step.NextAsync(known, ct)
                : step.PromptAsync("text", new PromptOptions { Prompt = Say.Message("请留下回拨号码。") }, ct),
            (step, ct) => step.EndDialogAsync(step.Result, ct),
        ]));
        dialog.AddDialog(new TextPrompt("text"));
        var bot = new DialogTestBot(_storage, dialog);

        var replies = await bot.SayAsync("你好");

        Assert.Equal(["回拨号码：13800138000"], Say.Texts(replies));
        Assert.Equal(DialogTurnStatus.Complete, bot.Results[^1].Status);
        Assert.Equal("13800138000", bot.Results[^1].Result);
    }

    [Fact]
    public async Task ReplaceDialog_StartsTheMenuAgain_UntilTheUserLeaves()
    {
        var dialog = new ComponentDialog("root");
        dialog.AddDialog(new WaterfallDialog("menu",
        [
            (step, ct) => step.PromptAsync("choice", new PromptOptions
            {
                Prompt = Say.Message("还需要什么帮助？"),
                Choices = ChoiceFactory.ToChoices(["查询进度", "结束"]),
            }, ct),
            async (step, ct) =>
            {
                if (((FoundChoice)step.Result!).Value == "结束")
                {
                    return await step.EndDialogAsync("bye", ct);
                }

                await step.Context.SendActivityAsync("您的工单正在处理中。", ct);
                return await step.ReplaceDialogAsync("menu", null, ct);
            },
        ]));
        dialog.AddDialog(new ChoicePrompt("choice"));
        var bot = new DialogTestBot(_storage, dialog);

        await bot.SayAsync("你好");
        Assert.Equal(["您的工单正在处理中。", "还需要什么帮助？"], Say.Texts(await bot.SayAsync("1")));
        Assert.Equal(["您的工单正在处理中。", "还需要什么帮助？"], Say.Texts(await bot.SayAsync("查询进度")));

        Assert.Empty(await bot.SayAsync("结束"));
        Assert.Equal(DialogTurnStatus.Complete, bot.Results[^1].Status);
        Assert.Equal("bye", bot.Results[^1].Result);
    }

    [Fact]
    public async Task BeginDialog_Throws_ForAnUnknownDialog()
    {
        var dialog = new ComponentDialog("root");
        dialog.AddDialog(new WaterfallDialog("main", [(step, ct) => step.BeginDialogAsync("missing", null, ct)]));
        var bot = new DialogTestBot(_storage, dialog);

        await Assert.ThrowsAsync<InvalidOperationException>(() => bot.SayAsync("你好"));
    }

    private async Task<IReadOnlyList<JsonElement>> StoredStackAsync()
    {
        var stored = await _storage.ReadAsync([ConversationKey], TestContext.Current.CancellationToken);
        return [.. stored[ConversationKey].Value.GetProperty("DialogState").GetProperty("dialogStack").EnumerateArray()];
    }
}
