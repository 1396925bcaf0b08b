using HotlineBot.Dialogs.Conversation;

namespace HotlineBot.Dialogs.Tests.Conversation;

public sealed class SurveyScoreTests
{
    [Theory]
    [InlineData("5", 5)]
    [InlineData("1", 1)]
    [InlineData(" 3 ", 3)]
    [InlineData("５", 5)]
    [InlineData("5分", 5)]
    [InlineData("4星", 4)]
    [InlineData("五星", 5)]
    [InlineData("五颗星", 5)]
    [InlineData("二分", 2)]
    [InlineData("两分", 2)]
    [InlineData("三", 3)]
    [InlineData("5分！", 5)]
    [InlineData("5吧", 5)]
    [InlineData("很满意", 5)]
    [InlineData("非常满意", 5)]
    [InlineData("满意", 4)]
    [InlineData("满意！", 4)]
    [InlineData("一般", 3)]
    [InlineData("不满意", 2)]
    [InlineData("很不满意", 1)]
    [InlineData("非常不满意", 1)]
    [InlineData("滿意", 4)]
    public void Parse_ReadsTheScore_FromADigitNumeralOrSatisfactionWord(string text, int expected)
    {
        Assert.Equal(expected, SurveyScore.Parse(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("6")]
    [InlineData("10")]
    [InlineData("六星")]
    [InlineData("5天没发工资")]
    [InlineData("给5分")]
    [InlineData("不太清楚")]
    [InlineData("加班费怎么算？")]
    [InlineData("分")]
    [InlineData("满意吗")]
    public void Parse_IsNull_ForAnythingButAWholeMessageScore(string? text)
    {
        Assert.Null(SurveyScore.Parse(text));
    }
}
