using HotlineBot.Dialogs.Conversation;

namespace HotlineBot.Dialogs.Tests.Conversation;

public sealed class ButtonRepliesTests(SeedsFixture fixture)
{
    [Theory]
    [InlineData("有帮助", FeedbackKind.Helpful)]
    [InlineData("有用！", FeedbackKind.Helpful)]
    [InlineData("解决了", FeedbackKind.Helpful)]
    [InlineData("没解决", FeedbackKind.NotSolved)]
    [InlineData("沒解決", FeedbackKind.NotSolved)]
    [InlineData("没用啊", FeedbackKind.NotSolved)]
    [InlineData("都不是", FeedbackKind.NoneOfThese)]
    public void Feedback_IsRecognized_AsAWholeMessage(string text, FeedbackKind kind)
    {
        Assert.Equal(kind, Feedback.Recognize(text));
    }

    [Theory]
    [InlineData("工伤没解决怎么办")]
    [InlineData("仲裁有用吗")]
    [InlineData("老板说都不是他的责任")]
    public void Feedback_IsNotRecognized_InsideAQuestion(string text)
    {
        Assert.Null(Feedback.Recognize(text));
    }

    [Theory]
    [InlineData("转人工")]
    [InlineData("找人工")]
    [InlineData("人工")]
    [InlineData("我想和人工客服聊")]
    [InlineData("请安排人联系我")]
    [InlineData("有没有工作人员在线")]
    [InlineData("不想跟机器说,找个人工")]
    [InlineData("轉人工")]
    [InlineData("客服")]
    public void PersonRequest_IsRecognized(string text)
    {
        Assert.True(PersonRequest.IsRequest(text), text);
    }

    [Fact]
    public void PersonRequest_LeavesQuestionsAboutTheService_ToTheKnowledgeBase_ForEveryPublishedPhrasing()
    {
        var taken = fixture.Seeds.Published.SelectMany(e => e.Phrasings().Select(p => (e.Id, p)))
            .Where(x => PersonRequest.IsRequest(x.p))
            .Select(x => $"{x.Id}: {x.p}")
            .ToList();

        Assert.True(taken.Count == 0, "published phrasings taken as requests for a person:\n" + string.Join("\n", taken));
    }

    [Theory]
    [InlineData("取消")]
    [InlineData("算了")]
    [InlineData("算了吧")]
    [InlineData("那算了")]
    [InlineData("不用了")]
    [InlineData("不用了，谢谢")]
    [InlineData("不问了")]
    [InlineData("算了不问了")]
    [InlineData("取消！")]
    [InlineData("cancel")]
    public void CancelRequest_IsRecognized_AsAWholeMessage(string text)
    {
        Assert.True(CancelRequest.IsRequest(text), text);
    }

    [Theory]
    [InlineData("岗位取消了有补偿吗")]
    [InlineData("算了一下加班费不对")]
    [InlineData("公司说不用签合同")]
    [InlineData("不用交社保吗")]
    [InlineData("")]
    public void CancelRequest_IsNotRecognized_InsideAQuestion(string text)
    {
        Assert.False(CancelRequest.IsRequest(text), text);
    }

    [Fact]
    public void CancelRequest_TakesNoPublishedPhrasing()
    {
        var taken = fixture.Seeds.Published.SelectMany(e => e.Phrasings().Select(p => (e.Id, p)))
            .Where(x => CancelRequest.IsRequest(x.p))
            .Select(x => $"{x.Id}: {x.p}")
            .ToList();

        Assert.True(taken.Count == 0, "published phrasings taken as cancel requests:\n" + string.Join("\n", taken));
    }
}
