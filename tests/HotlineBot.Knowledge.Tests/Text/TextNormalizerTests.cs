using HotlineBot.Knowledge.Text;

namespace HotlineBot.Knowledge.Tests.Text;

public class TextNormalizerTests
{
    [Fact]
    public void Normalize_FoldsTraditionalToSimplified()
    {
        Assert.Equal("老板拖欠工资怎么办", TextNormalizer.Normalize("老闆拖欠工資怎麼辦"));
    }
}
