using HotlineBot.Knowledge.Evaluation;

namespace HotlineBot.Knowledge.Tests.Evaluation;

public class EvalCaseReaderTests
{
    private const string GoodLine = """{"id": "C1", "topic": "T38", "kind": "answer", "q": "老板欠我工资", "expect": [["劳动仲裁", "投诉"]]}""";

    [Fact]
    public void Read_ReadsEveryField_AndSkipsBlankLines()
    {
        using var file = new TempCasesFile(GoodLine, "", """{"id": "C2", "kind": "fallback", "q": "明天天气怎么样"}""");

        var cases = EvalCaseReader.Read(file.FilePath);

        Assert.Equal(2, cases.Count);
        Assert.Equal("C1", cases[0].Id);
        Assert.Equal("T38", cases[0].Topic);
        Assert.Equal("answer", cases[0].Kind);
        Assert.Equal("老板欠我工资", cases[0].Question);
        var group = Assert.Single(cases[0].KeywordGroups);
        Assert.Equal(["劳动仲裁", "投诉"], group);
        Assert.Null(cases[1].Topic);
        Assert.Empty(cases[1].KeywordGroups);
    }

    [Fact]
    public void Read_Throws_NamingFileAndLine_ForLineThatIsNotJson()
    {
        using var file = new TempCasesFile(GoodLine, "", "{\"id\": \"C3\", \"kind\": ");

        var error = Assert.Throws<EvalFileException>(() => EvalCaseReader.Read(file.FilePath));

        Assert.StartsWith($"{file.FilePath}:3: ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"kind": "answer", "q": "没有编号"}""")]
    [InlineData("""{"id": "C2", "q": "没有类型"}""")]
    [InlineData("""{"id": "C2", "kind": "answer"}""")]
    [InlineData("null")]
    public void Read_Throws_NamingFileAndLine_ForCaseMissingRequiredField(string line)
    {
        using var file = new TempCasesFile(GoodLine, line);

        var error = Assert.Throws<EvalFileException>(() => EvalCaseReader.Read(file.FilePath));

        Assert.StartsWith($"{file.FilePath}:2: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ReadsShippedRegressionSet()
    {
        var cases = EvalCaseReader.Read(TestSeeds.RegressionFile);

        Assert.NotEmpty(cases);
        Assert.Equal(cases.Count, cases.Select(c => c.Id).Distinct(StringComparer.Ordinal).Count());
    }
}
