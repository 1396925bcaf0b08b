using HotlineBot.BotFramework.Builder;
using HotlineBot.Dialogs.Clarify;
using HotlineBot.Dialogs.Conversation;
using HotlineBot.Dialogs.Replies;

namespace HotlineBot.Dialogs.Tests.Clarify;

public sealed class ClarifyPromptTests
{
    private static readonly ClarifyOptions Three = new(
        [
            new ClarifyCandidate("overtime-pay", "加班费怎么算？", 0.4),
            new ClarifyCandidate("wage-arrears", "老板拖欠工资怎么办？", 0.35),
            new ClarifyCandidate("annual-leave", "年休假有几天？", 0.3),
        ],
        0.4);

    private static readonly ClarifyOptions One = new([new ClarifyCandidate("overtime-pay", "加班费怎么算？", 0.4)], 0.4);

    [Theory]
    [InlineData("加班费怎么算？", 0)]
    [InlineData("2", 1)]
    [InlineData("第三个", 2)]
    [InlineData("第2条", 1)]
    [InlineData("4", 3)]
    [InlineData("都不是", 3)]
    [InlineData("都不是啊", 3)]
    [InlineData("都不对", 3)]
    [InlineData("加班費怎麼算", 0)]
    [InlineData("老板 拖欠工资，怎么办", 1)]
    public async Task Recognizes_ButtonNumberQuestionOrNoneOfThese(string text, int index)
    {
        var found = await RecognizeAsync(Three, text);

        Assert.True(found.Succeeded, text);
        Assert.Equal(index, found.Value!.Index);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("加班")]
    [InlineData("推荐一部好看的电影")]
    [InlineData("是")]
    [InlineData("")]
    public async Task Refuses_WhatIsNoneOfTheChoices(string text)
    {
        var found = await RecognizeAsync(Three, text);

        Assert.False(found.Succeeded, text);
    }

    [Theory]
    [InlineData("是的", 0)]
    [InlineData("对", 0)]
    [InlineData("就是这个", 0)]
    [InlineData("1", 0)]
    [InlineData("不是", 1)]
    [InlineData("都不是", 1)]
    public async Task SingleQuestion_IsAYesOrNoQuestion(string text, int index)
    {
        var found = await RecognizeAsync(One, text);

        Assert.True(found.Succeeded, text);
        Assert.Equal(index, found.Value!.Index);
    }

    [Fact]
    public void PromptAndRetryPrompt_CarryClarifyMetadata_WithTheConfidence_AndTheSameButtons()
    {
        var options = ClarifyDialog.PromptOptionsFor(Three);

        foreach (var prompt in new[] { options.Prompt!, options.RetryPrompt! })
        {
            Assert.Equal(new HotlineMetadata(ReplyKinds.Clarify, Confidence: 0.4), prompt.GetHotlineMetadata());
            Assert.Equal(["加班费怎么算？", "老板拖欠工资怎么办？", "年休假有几天？", Feedback.NoneOfTheseText], prompt.SuggestedActions!.Actions.Select(a => a.Title));
        }

        Assert.Equal(HotlineReplies.ClarifyText, options.Prompt!.Text);
        Assert.Equal(4, options.Choices!.Count);
    }

    private static Task<BotFramework.Dialogs.PromptRecognizerResult<BotFramework.Dialogs.FoundChoice>> RecognizeAsync(ClarifyOptions options, string text)
    {
        var turn = new TurnContext(new TestAdapter(), Inbound.Message(text));
        return new ClarifyPrompt("prompt").RecognizeAsync(turn, ClarifyDialog.PromptOptionsFor(options), TestContext.Current.CancellationToken);
    }
}
