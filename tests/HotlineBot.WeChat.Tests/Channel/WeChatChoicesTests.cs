using HotlineBot.WeChat.Channel;

namespace HotlineBot.WeChat.Tests.Channel;

public sealed class WeChatChoicesTests
{
    private static readonly string[] Choices = ["拖欠工资怎么办", "加班费怎么算", "都不是"];

    [Theory]
    [InlineData("1", "拖欠工资怎么办")]
    [InlineData(" 2 ", "加班费怎么算")]
    [InlineData("２", "加班费怎么算")]
    [InlineData("2.", "加班费怎么算")]
    [InlineData("２．", "加班费怎么算")]
    [InlineData("3、", "都不是")]
    [InlineData("三", "都不是")]
    [InlineData("一", "拖欠工资怎么办")]
    [InlineData("第2个", "加班费怎么算")]
    [InlineData("第二个", "加班费怎么算")]
    [InlineData("第三", "都不是")]
    public void A_number_typed_the_ways_people_type_it_picks_its_choice(string reply, string expected)
    {
        Assert.Equal(expected, WeChatChoices.Pick(reply, Choices));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("4")]
    [InlineData("5")]
    [InlineData("12")]
    [InlineData("十")]
    [InlineData("1个月")]
    [InlineData("2个")]
    [InlineData("我选1")]
    [InlineData("一二")]
    [InlineData("第")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Anything_but_a_number_in_range_picks_nothing(string? reply)
    {
        Assert.Null(WeChatChoices.Pick(reply, Choices));
    }

    [Theory]
    [InlineData("12")]
    [InlineData("十二")]
    [InlineData("第12个")]
    public void Two_digit_numbers_pick_when_there_are_that_many_choices(string reply)
    {
        var twelve = Enumerable.Range(1, 12).Select(n => $"选项{n}").ToList();

        Assert.Equal("选项12", WeChatChoices.Pick(reply, twelve));
        Assert.Equal("选项10", WeChatChoices.Pick("十", twelve));
    }

    [Fact]
    public void Without_choices_every_reply_is_handled_as_typed()
    {
        Assert.Null(WeChatChoices.Pick("1", []));
    }
}
