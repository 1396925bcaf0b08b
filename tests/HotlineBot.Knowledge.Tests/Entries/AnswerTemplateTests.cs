using HotlineBot.Knowledge.Entries;

namespace HotlineBot.Knowledge.Tests.Entries;

public class AnswerTemplateTests
{
    [Fact]
    public void Render_FillsKnownPlaceholders_AndKeepsUnknownOnes()
    {
        var values = new Dictionary<string, string> { ["operatorHours"] = "工作日 9:00–17:30" };

        var text = AnswerTemplate.Render("人工客服：{{operatorHours}}；热线：{{ hotlineHours }}", values);

        Assert.Equal("人工客服：工作日 9:00–17:30；热线：{{ hotlineHours }}", text);
    }

    [Fact]
    public void Render_FillsTheHoursEntryOfTheSeeds()
    {
        var entry = Knowledge.Loading.SeedLoader.LoadEntries(TestSeeds.Directory).Single(e => e.Answer.Contains("{{operatorHours}}", StringComparison.Ordinal));

        var text = AnswerTemplate.Render(entry.Answer, new Dictionary<string, string> { ["operatorHours"] = "周一至周五 8:30–17:00" });

        Assert.Contains("周一至周五 8:30–17:00", text, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", text, StringComparison.Ordinal);
    }
}
