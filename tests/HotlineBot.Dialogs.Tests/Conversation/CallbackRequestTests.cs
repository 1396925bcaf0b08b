using HotlineBot.Dialogs.Conversation;

namespace HotlineBot.Dialogs.Tests.Conversation;

public sealed class CallbackRequestTests
{
    [Theory]
    [InlineData(CallbackRequest.ButtonText)]
    [InlineData("回电")]
    [InlineData("请回电")]
    [InlineData("给我回电话吧")]
    [InlineData("打电话给我")]
    public void IsRequest_ForTheButtonAndTheSameWishTyped(string text)
    {
        Assert.True(CallbackRequest.IsRequest(text));
    }

    [Theory]
    [InlineData("工作人员什么时候回电")]
    [InlineData("回电话要多久")]
    [InlineData("加班费怎么算")]
    public void IsRequest_IsFalse_ForQuestionsThatMentionACallback(string text)
    {
        Assert.False(CallbackRequest.IsRequest(text));
    }
}
