using System.Text.RegularExpressions;
using HotlineBot.BotFramework.Dialogs;
using HotlineBot.BotFramework.State;

namespace HotlineBot.BotFramework.Tests.Dialogs;

public sealed partial class PromptTests
{
    private readonly MemoryStorage _storage = new();

    [Theory]
    [InlineData("电话回拨", 0)]
    [InlineData("在线留言", 1)]
    [InlineData(" 在线留言。", 1)]
    [InlineData("1", 0)]
    [InlineData("2", 1)]
    [InlineData("２", 1)]
    [InlineData("第二个", 1)]
    [InlineData("第2项", 1)]
    [InlineData("二", 1)]
    [InlineData("电话", 0)]
    [InlineData("回电", 0)]
    [InlineData("留言", 1)]
    public async Task ChoicePrompt_RecognizesValueNumberOrSynonym(string answer, int expectedIndex)
    {
        var bot = PromptBot(new ChoicePrompt("prompt"), new PromptOptions { Prompt = Say.Message("怎么联系您？"), Choices = ReportDialog.ContactChoices() });
        await bot.SayAsync("开始");

        Assert.Empty(await bot.SayAsync(answer));

        var found = Assert.IsType<FoundChoice>(bot.Results[^1].Result);
        Assert.Equal(expectedIndex, found.Index);
        Assert.Equal(ReportDialog.ContactChoices()[expectedIndex].Value, found.Value);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("0")]
    [InlineData("电话留言都不要")]
    [InlineData("")]
    public async Task ChoicePrompt_SendsTheRetryPromptWithTheChoices_WhenNothingMatches(string answer)
    {
        var bot = PromptBot(new ChoicePrompt("prompt"), new PromptOptions
        {
            Prompt = Say.Message("怎么联系您？"),
            RetryPrompt = Say.Message("请点选一种方式。"),
            Choices = ReportDialog.ContactChoices(),
        });
        await bot.SayAsync("开始");

        var retry = Assert.Single(await bot.SayAsync(answer));

        Assert.Equal("请点选一种方式。", retry.Text);
        Assert.Equal(["电话回拨", "在线留言"], Say.Buttons(retry));
        Assert.Equal(DialogTurnStatus.Waiting, bot.Results[^1].Status);
        Assert.Empty(await bot.SayAsync("电话回拨"));
        Assert.Equal("电话回拨", Assert.IsType<FoundChoice>(bot.Results[^1].Result).Value);
    }

    [Fact]
    public async Task ChoicePrompt_RepeatsThePrompt_WhenThereIsNoRetryPrompt()
    {
        var bot = PromptBot(new ChoicePrompt("prompt"), new PromptOptions { Prompt = Say.Message("怎么联系您？"), Choices = ReportDialog.ContactChoices() });
        await bot.SayAsync("开始");

        var again = Assert.Single(await bot.SayAsync("随便"));

        Assert.Equal("怎么联系您？", again.Text);
        Assert.Equal(["电话回拨", "在线留言"], Say.Buttons(again));
    }

    [Fact]
    public async Task ChoicePrompt_ListStyle_WritesNumberedChoicesIntoTheText()
    {
        var bot = PromptBot(new ChoicePrompt("prompt") { Style = ListStyle.List }, new PromptOptions { Prompt = Say.Message("怎么联系您？"), Choices = ReportDialog.ContactChoices() });

        var prompt = Assert.Single(await bot.SayAsync("开始"));

        Assert.Equal("怎么联系您？\n\n   1. 电话回拨\n   2. 在线留言", prompt.Text);
        Assert.Null(prompt.SuggestedActions);
    }

    [Theory]
    [InlineData("是", true)]
    [InlineData("是的", true)]
    [InlineData("好", true)]
    [InlineData("好的！", true)]
    [InlineData("对", true)]
    [InlineData("对的", true)]
    [InlineData("可以", true)]
    [InlineData("行", true)]
    [InlineData("行吧", true)]
    [InlineData("嗯", true)]
    [InlineData("嗯嗯", true)]
    [InlineData("嗯，好的", true)]
    [InlineData("yes", true)]
    [InlineData("Y", true)]
    [InlineData("OK", true)]
    [InlineData("1", true)]
    [InlineData("👍", true)]
    [InlineData("否", false)]
    [InlineData("不", false)]
    [InlineData("不用", false)]
    [InlineData("不用了", false)]
    [InlineData("不要", false)]
    [InlineData("算了", false)]
    [InlineData("不是", false)]
    [InlineData("不可以", false)]
    [InlineData("no", false)]
    [InlineData("N", false)]
    [InlineData("2", false)]
    public async Task ConfirmPrompt_UnderstandsChineseAndEnglishYesAndNo(string answer, bool expected)
    {
        var bot = PromptBot(new ConfirmPrompt("prompt"), new PromptOptions { Prompt = Say.Message("确认提交吗？") });
        var prompt = Assert.Single(await bot.SayAsync("开始"));
        Assert.Equal(["是", "否"], Say.Buttons(prompt));

        Assert.Empty(await bot.SayAsync(answer));

        Assert.Equal(DialogTurnStatus.Complete, bot.Results[^1].Status);
        Assert.Equal(expected, Assert.IsType<bool>(bot.Results[^1].Result));
    }

    [Theory]
    [InlineData("明天再说")]
    [InlineData("不错")]
    [InlineData("3")]
    public async Task ConfirmPrompt_SendsTheRetryPrompt_WhenTheAnswerIsNeitherYesNorNo(string answer)
    {
        var bot = PromptBot(new ConfirmPrompt("prompt"), new PromptOptions { Prompt = Say.Message("确认提交吗？"), RetryPrompt = Say.Message("请回复“是”或“否”。") });
        await bot.SayAsync("开始");

        var retry = Assert.Single(await bot.SayAsync(answer));

        Assert.Equal("请回复“是”或“否”。", retry.Text);
        Assert.Equal(["是", "否"], Say.Buttons(retry));
        Assert.Equal(DialogTurnStatus.Waiting, bot.Results[^1].Status);
    }

    [Fact]
    public async Task ConfirmPrompt_OffersYesAndNo_ToAnEnglishSpeaker()
    {
        var bot = PromptBot(new ConfirmPrompt("prompt"), new PromptOptions { Prompt = Say.Message("Submit?") });
        var activity = bot.Adapter.MakeMessage("start");
        activity.Locale = "en-US";

        var prompt = Assert.Single(await bot.SendAsync(activity));

        Assert.Equal(["Yes", "No"], Say.Buttons(prompt));
    }

    [Fact]
    public async Task TextPrompt_Validator_RejectsUntilValid_WithRetryPromptAndAttemptCount()
    {
        var attempts = new List<int>();
        var prompt = new TextPrompt("prompt", (context, _) =>
        {
            attempts.Add(context.AttemptCount);
            return Task.FromResult(context.Recognized.Succeeded && MobileNumber().IsMatch(context.Recognized.Value!));
        });
        var bot = PromptBot(prompt, new PromptOptions { Prompt = Say.Message("请留下回拨号码。"), RetryPrompt = Say.Message("请输入11位手机号码。") });
        Assert.Equal(["请留下回拨号码。"], Say.Texts(await bot.SayAsync("开始")));

        Assert.Equal(["请输入11位手机号码。"], Say.Texts(await bot.SayAsync("123")));
        Assert.Equal(["请输入11位手机号码。"], Say.Texts(await bot.SayAsync("打我电话")));
        Assert.Empty(await bot.SayAsync("13800138000"));

        Assert.Equal([1, 2, 3], attempts);
        Assert.Equal("13800138000", bot.Results[^1].Result);
    }

    [Fact]
    public async Task Validator_ThatExplainsItself_SuppressesTheRetryPrompt()
    {
        var prompt = new ChoicePrompt("prompt", async (context, ct) =>
        {
            if (context.Recognized.Value?.Value == "电话回拨")
            {
                await context.Context.SendActivityAsync("夜间暂不能电话回拨，请选择在线留言。", ct);
                return false;
            }

            return context.Recognized.Succeeded;
        });
        var bot = PromptBot(prompt, new PromptOptions { Prompt = Say.Message("怎么联系您？"), RetryPrompt = Say.Message("请点选一种方式。"), Choices = ReportDialog.ContactChoices() });
        await bot.SayAsync("开始");

        Assert.Equal(["夜间暂不能电话回拨，请选择在线留言。"], Say.Texts(await bot.SayAsync("1")));
        Assert.Equal(["请点选一种方式。"], Say.Texts(await bot.SayAsync("都不要")));
        Assert.Empty(await bot.SayAsync("留言"));
        Assert.Equal("在线留言", Assert.IsType<FoundChoice>(bot.Results[^1].Result).Value);
    }

    [Fact]
    public async Task Validator_SeesValidationsAndAttemptCount_AfterARestart()
    {
        PromptValidator<string> validator = (context, _) =>
        {
            var minimum = StateJson.Convert<int>(context.Options.Validations);
            return Task.FromResult(context.AttemptCount >= 3 || context.Recognized.Value!.Length >= minimum);
        };
        var options = new PromptOptions { Prompt = Say.Message("请多说一点。"), RetryPrompt = Say.Message("再详细些？"), Validations = 6 };
        await PromptBot(new TextPrompt("prompt", validator), options).SayAsync("开始");
        Assert.Equal(["再详细些？"], Say.Texts(await PromptBot(new TextPrompt("prompt", validator), options).SayAsync("欠薪")));

        // The third short answer is let through: the attempt count survived both restarts.
        Assert.Equal(["再详细些？"], Say.Texts(await PromptBot(new TextPrompt("prompt", validator), options).SayAsync("欠钱")));
        var last = PromptBot(new TextPrompt("prompt", validator), options);
        Assert.Empty(await last.SayAsync("没钱"));
        Assert.Equal("没钱", last.Results[^1].Result);
    }

    [Fact]
    public async Task Prompt_DoesNotChangeTheActivityItWasGiven()
    {
        var question = Say.Message("确认提交吗？");
        var bot = PromptBot(new ConfirmPrompt("prompt"), new PromptOptions { Prompt = question });

        var sent = Assert.Single(await bot.SayAsync("开始"));

        Assert.NotSame(question, sent);
        Assert.Null(question.Conversation);
        Assert.Null(question.SuggestedActions);
        Assert.Equal("test", sent.ChannelId);
    }

    /// <summary>A bot whose root dialog asks one prompt and ends with its answer.</summary>
    private DialogTestBot PromptBot(Dialog prompt, PromptOptions options)
    {
        var root = new ComponentDialog("root");
        root.AddDialog(new WaterfallDialog("ask",
        [
            (step, ct) => step.PromptAsync(prompt.Id, options, ct),
            (step, ct) => step.EndDialogAsync(step.Result, ct),
        ]));
        root.AddDialog(prompt);
        return new DialogTestBot(_storage, root);
    }

    [GeneratedRegex(@"^1\d{10}$")]
    private static partial Regex MobileNumber();
}
