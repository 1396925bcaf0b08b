using HotlineBot.Knowledge.Text;

namespace HotlineBot.Knowledge.Tests.Text;

public class TextNormalizerTests
{
    [Fact]
    public void Normalize_FoldsTraditionalToSimplified()
    {
        Assert.Equal("老板拖欠工资怎么办", TextNormalizer.Normalize("老闆拖欠工資怎麼辦"));
    }

    [Fact]
    public void Normalize_FoldsTraditionalToSimplified_ForShortComplaint()
    {
        Assert.Equal("老板拖欠工资", TextNormalizer.Normalize("老闆拖欠工資"));
    }

    [Fact]
    public void Normalize_FoldsFullWidthLettersAndDigits_AndDropsFullWidthPunctuation()
    {
        Assert.Equal("abc12351", TextNormalizer.Normalize("ＡＢＣ１２３５１，！"));
    }

    [Fact]
    public void Normalize_KeepsHanText_AroundFullWidthDigits()
    {
        Assert.Equal("打12351问问", TextNormalizer.Normalize("打１２３５１问问"));
    }

    [Fact]
    public void Normalize_LowercasesAsciiLetters()
    {
        Assert.Equal("hello", TextNormalizer.Normalize("HeLLo"));
    }

    [Fact]
    public void Normalize_RemovesEmoji_LeavingOneSpaceBetweenWords()
    {
        var normalized = TextNormalizer.Normalize("工资😭😭没发👍");

        Assert.Equal("工资 没发", normalized);
    }

    [Fact]
    public void Normalize_ReturnsEmpty_ForEmojiAndPunctuationOnly()
    {
        Assert.Equal(string.Empty, TextNormalizer.Normalize("😭😭😭！！？？。。"));
    }

    [Fact]
    public void Normalize_CollapsesRunsOfThreeOrMore_ToOneCharacter()
    {
        Assert.Equal("啊", TextNormalizer.Normalize("啊啊啊啊"));
    }

    [Fact]
    public void Normalize_CollapsesRepeatedCharacters_InsideASentence()
    {
        Assert.Equal("老板欠钱啊", TextNormalizer.Normalize("老板欠钱啊啊啊啊啊"));
    }

    [Fact]
    public void Normalize_KeepsDoubledCharacters()
    {
        Assert.Equal("谢谢", TextNormalizer.Normalize("谢谢"));
    }

    [Theory]
    [InlineData("1000")]
    [InlineData("工资3000元")]
    [InlineData("n+1")]
    [InlineData("300%")]
    public void Normalize_KeepsDigitRunsAndTokenSymbols(string text)
    {
        Assert.Equal(text, TextNormalizer.Normalize(text));
    }

    [Fact]
    public void Normalize_CollapsesSpacesBetweenPunctuation_ToOne()
    {
        Assert.Equal("加班 怎么算", TextNormalizer.Normalize("加班，，，  ？？怎么算"));
    }

    [Fact]
    public void Normalize_Throws_ForNull()
    {
        Assert.Throws<ArgumentNullException>(() => TextNormalizer.Normalize(null!));
    }
}
