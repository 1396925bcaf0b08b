using HotlineBot.BotFramework.Schema;
using HotlineBot.Dialogs.Conversation;
using HotlineBot.Dialogs.Replies;

namespace HotlineBot.Dialogs.Tests.Conversation;

public sealed class AnswerRequestTests(SeedsFixture fixture)
{
    private const string Unanswerable = "宿舍停电了找谁";

    [Theory]
    [InlineData("有答案时告诉我")]
    [InlineData("有答案了告诉我吧")]
    [InlineData("请有答案时通知我")]
    [InlineData("有答案時告訴我！")]
    public void IsRequest_RecognizesTheButtonAndTypedVariants(string text)
    {
        Assert.True(AnswerRequest.IsRequest(text), text);
    }

    [Theory]
    [InlineData("答案是什么")]
    [InlineData("有答案时告诉我加班费怎么算")]
    [InlineData("")]
    public void IsRequest_IsNotRecognized_InOtherMessages(string text)
    {
        Assert.False(AnswerRequest.IsRequest(text), text);
    }

    [Fact]
    public async Task KnowledgeBaseFallback_OffersTheRequest_BesidePersonAndPhone()
    {
        var bot = new BotHarness(fixture);

        var (reply, meta) = await bot.AskOneAsync(Unanswerable);

        Assert.Equal(ReplyKinds.Fallback, meta.Kind);
        Assert.Equal([PersonRequest.ButtonText, AnswerRequest.ButtonText, "拨打12351"], reply.SuggestedActions!.Actions.Select(a => a.Title));
    }

    [Fact]
    public async Task NoneOfThese_Fallback_OffersTheRequest()
    {
        var bot = new BotHarness(fixture);
        var (_, clarify) = await bot.AskOneAsync("公司不给交住房公积金怎么办");
        Assert.Equal(ReplyKinds.Clarify, clarify.Kind);

        var (reply, meta) = await bot.AskOneAsync(Feedback.NoneOfTheseText);

        Assert.Equal(ReplyKinds.Fallback, meta.Kind);
        Assert.Contains(reply.SuggestedActions!.Actions, a => a.Title == AnswerRequest.ButtonText);
    }

    [Fact]
    public void OtherFallbacks_DoNotOfferTheRequest()
    {
        Assert.DoesNotContain(HotlineReplies.Fallback(FallbackReason.Unreadable).SuggestedActions!.Actions, a => a.Title == AnswerRequest.ButtonText);
        Assert.DoesNotContain(HotlineReplies.Fallback(FallbackReason.PersonRequested).SuggestedActions!.Actions, a => a.Title == AnswerRequest.ButtonText);
    }

    [Fact]
    public async Task Pressing_ConfirmsAsSmallTalk_AndRecordsTheRequest()
    {
        var bot = new BotHarness(fixture);
        await bot.AskOneAsync(Unanswerable);

        var (reply, meta) = await bot.AskOneAsync(AnswerRequest.ButtonText);

        Assert.Equal(ReplyKinds.SmallTalk, meta.Kind);
        Assert.Contains("有了答案", reply.Text, StringComparison.Ordinal);
        Assert.Equal([PersonRequest.ButtonText, "拨打12351"], reply.SuggestedActions!.Actions.Select(a => a.Title));
        var records = bot.TurnLog.Records;
        Assert.Equal(2, records.Count);
        Assert.Equal(ReplyKinds.Fallback, records[0].Kind);
        Assert.Equal(AnswerRequest.Reason, records[1].Reason);
        Assert.Equal(ReplyKinds.SmallTalk, records[1].Kind);
        Assert.Equal(records[0].UserHash, records[1].UserHash);
    }

    [Fact]
    public async Task Typing_WhileDidYouMeanWaits_DropsTheChoices()
    {
        var bot = new BotHarness(fixture);
        await bot.AskOneAsync("公司不给交住房公积金怎么办");

        var (_, meta) = await bot.AskOneAsync("有答案了告诉我");
        var (_, next) = await bot.AskOneAsync("1");

        Assert.Equal(ReplyKinds.SmallTalk, meta.Kind);
        Assert.NotEqual(ReplyKinds.Answer, next.Kind);
    }

    [Fact]
    public void LaterAnswer_IsTheBotsAnswer_LedByTheEarlierQuestion()
    {
        var replies = new HotlineReplies(SeedsFixture.AnswerValues);
        var entry = fixture.Search.Search("加班费怎么算").Answer!;

        var later = replies.LaterAnswer(entry, "周末加班费到底怎么算啊");
        var now = replies.Answer(entry, 0.9);

        var meta = later.GetHotlineMetadata()!;
        Assert.Equal(ReplyKinds.Answer, meta.Kind);
        Assert.Equal(entry.Id, meta.EntryId);
        Assert.Equal(ActivityTypes.Message, later.Type);
        Assert.StartsWith("你之前问过“周末加班费到底怎么算啊”，现在有答案了：\n\n", later.Text, StringComparison.Ordinal);
        Assert.EndsWith(now.Text, later.Text, StringComparison.Ordinal);
        Assert.Equal(now.SuggestedActions!.Actions.Select(a => a.Title), later.SuggestedActions!.Actions.Select(a => a.Title));
    }
}
