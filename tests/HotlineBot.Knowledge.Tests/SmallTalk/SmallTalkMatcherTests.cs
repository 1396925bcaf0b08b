using HotlineBot.Knowledge.SmallTalk;
using HotlineBot.Knowledge.Tests.Search;

namespace HotlineBot.Knowledge.Tests.SmallTalk;

public sealed class SmallTalkMatcherTests(SeedSearchFixture fixture)
{
    private SmallTalkMatcher Matcher => new(fixture.Seeds.SmallTalk);

    [Theory]
    [InlineData("你好", "greeting")]
    [InlineData("您好！", "greeting")]
    [InlineData("  你好😊 ", "greeting")]
    [InlineData("謝謝啦", "thanks")]
    [InlineData("谢谢啦", "thanks")]
    [InlineData("你是机器人吗", "who-are-you")]
    [InlineData("你是机器人吗？？？", "who-are-you")]
    public void Match_ReturnsIntent_ForWholeMessageSmallTalk(string message, string intent)
    {
        var match = Matcher.Match(message);

        Assert.NotNull(match);
        Assert.Equal(intent, match.Intent);
        Assert.Contains(match.Reply, fixture.Seeds.SmallTalk.Single(i => i.Intent == intent).Replies);
    }

    [Theory]
    [InlineData("你好，老板欠我工资")]
    [InlineData("谢谢，那加班费怎么算")]
    [InlineData("你是机器人吗？我想问工伤")]
    [InlineData("老板欠我工资")]
    [InlineData("")]
    [InlineData("！！！")]
    public void Match_ReturnsNull_ForMessagesThatAreNotOnlySmallTalk(string message)
    {
        Assert.Null(Matcher.Match(message));
    }

    [Fact]
    public void Match_IgnoresTrailingParticles()
    {
        var matcher = new SmallTalkMatcher([new SmallTalkIntent("thanks", ["谢谢"], ["不客气"])]);

        Assert.Equal("thanks", matcher.Match("谢谢哈")?.Intent);
        Assert.Equal("thanks", matcher.Match("谢谢了哦")?.Intent);
        Assert.Null(matcher.Match("谢谢你们老板"));
    }

    [Fact]
    public void Match_GivesSameReply_ForSameMessage()
    {
        var matcher = new SmallTalkMatcher([new SmallTalkIntent("greeting", ["你好"], ["甲", "乙", "丙"])]);

        Assert.Equal(matcher.Match("你好")?.Reply, matcher.Match("你好")?.Reply);
    }
}
