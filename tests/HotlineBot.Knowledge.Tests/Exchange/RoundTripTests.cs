using System.Text.Json;
using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Exchange;
using HotlineBot.Knowledge.Loading;
using HotlineBot.Knowledge.Tests.Loading;
using static HotlineBot.Knowledge.Tests.Exchange.ExchangeEntries;

namespace HotlineBot.Knowledge.Tests.Exchange;

/// <summary>Export then import gives back exactly the entries, in every format.</summary>
public class RoundTripTests
{
    [Theory]
    [MemberData(nameof(Formats), MemberType = typeof(ExchangeEntries))]
    public void WriteThenRead_GivesBackEveryShippedSeedEntry_FieldForField(ExchangeFormat format)
    {
        Assert.NotEmpty(Seeds);

        var entries = ReadClean(KnowledgeExport.Write(Seeds, format), format);

        AssertSame(Seeds, entries);
    }

    [Theory]
    [MemberData(nameof(Formats), MemberType = typeof(ExchangeEntries))]
    public void WriteThenRead_KeepsTrickyContent_FieldForField(ExchangeFormat format)
    {
        var entries = ReadClean(KnowledgeExport.Write([Tricky, Bare], format), format);

        AssertSame([Tricky, Bare], entries);
    }

    [Theory]
    [MemberData(nameof(Formats), MemberType = typeof(ExchangeEntries))]
    public void WriteThenRead_GivesNoEntries_ForNoEntries(ExchangeFormat format)
    {
        var file = KnowledgeImport.Read(KnowledgeExport.Write([], format), format, Today);

        Assert.Empty(file.Entries);
        Assert.Empty(file.Errors);
    }

    [Fact]
    public void ExportedYaml_LoadsThroughTheSeedLoader_AsOneFilePerCategory()
    {
        using var seeds = new TempSeeds();
        foreach (var category in Seeds.GroupBy(e => e.Category))
        {
            seeds.WriteKnowledge(category.Key, KnowledgeExport.Write(category, ExchangeFormat.Yaml));
        }

        var loaded = SeedLoader.LoadEntries(seeds.SeedsDirectory);

        AssertSame(Seeds, loaded);
    }

    [Fact]
    public void ExportedYaml_HasTheSeedFileShape()
    {
        var entry = new PolicyEntry
        {
            Id = "overtime-test",
            Question = "加班工资怎么算？",
            Alternates = ["加班费怎么算", "周末加班给多少钱"],
            Answer = "**工作日150%，休息日200%。**\n依据：《劳动法》第四十四条",
            Category = "wages",
            Sources = [new EntrySource("劳动法", "第四十四条"), new EntrySource("工资支付暂行规定", null)],
            Tags = ["加班费", "加班工资"],
            EffectiveFrom = new DateOnly(1995, 1, 1),
            ReviewBy = new DateOnly(2027, 6, 30),
            Status = EntryStatus.Published,
            Version = 3,
        };
        const string expected = """
            - id: overtime-test
              question: 加班工资怎么算？
              alternates:
                - 加班费怎么算
                - 周末加班给多少钱
              answer: |
                **工作日150%，休息日200%。**
                依据：《劳动法》第四十四条
              category: wages
              sources:
                - title: 劳动法
                  article: 第四十四条
                - title: 工资支付暂行规定
              tags: [加班费, 加班工资]
              region: national
              effectiveFrom: 1995-01-01
              reviewBy: 2027-06-30
              status: published
              version: 3

            """;

        var yaml = KnowledgeExport.Write([entry, entry with { Id = "second" }], ExchangeFormat.Yaml);

        Assert.Equal(expected + "\n" + expected.Replace("overtime-test", "second", StringComparison.Ordinal), yaml);
    }

    [Fact]
    public void ExportedJson_IsAnEntriesObject_WithTheSchemaNames()
    {
        var json = KnowledgeExport.Write([Tricky], ExchangeFormat.Json);

        using var document = JsonDocument.Parse(json);
        var entry = Assert.Single(document.RootElement.GetProperty("entries").EnumerateArray());
        Assert.Equal(
            ["id", "question", "alternates", "answer", "category", "sources", "tags", "region", "effectiveFrom", "reviewBy", "status", "version"],
            entry.EnumerateObject().Select(p => p.Name));
        Assert.Equal("retired", entry.GetProperty("status").GetString());
        Assert.Equal("1995-01-01", entry.GetProperty("effectiveFrom").GetString());
        Assert.Equal(7, entry.GetProperty("version").GetInt32());
        var sources = entry.GetProperty("sources").EnumerateArray().ToList();
        Assert.Equal("第四十四条|第二款", sources[0].GetProperty("article").GetString());
        Assert.False(sources[1].TryGetProperty("article", out _));
    }

    [Fact]
    public void Read_TakesAPlainJsonArray_AsWellAsTheEntriesObject()
    {
        using var document = JsonDocument.Parse(KnowledgeExport.Write([Tricky, Bare], ExchangeFormat.Json));
        var array = document.RootElement.GetProperty("entries").GetRawText();

        AssertSame([Tricky, Bare], ReadClean(array, ExchangeFormat.Json));
    }

    [Fact]
    public void ExportedCsv_StartsWithBomAndHeader_AndEndsRecordsWithCrLf()
    {
        var csv = KnowledgeExport.Write([Bare], ExchangeFormat.Csv);

        Assert.Equal(
            "\uFEFFid,question,alternates,answer,category,sources,tags,region,effectiveFrom,reviewBy,status,version\r\n"
            + "bare,'- 只有问题,,'+ 一行答案,misc,,,national,2026-01-01,2026-01-01,draft,1\r\n",
            csv);
    }

    [Fact]
    public void ExportedCsv_StartsNoCellWithAFormulaCharacter()
    {
        var table = CsvText.Parse(KnowledgeExport.Write([Tricky, Bare, .. Seeds], ExchangeFormat.Csv)[1..]);

        Assert.Null(table.Error);
        var cells = table.Records.SelectMany(r => r).Select(c => c.Value).ToList();
        Assert.DoesNotContain(cells, c => c.Length > 0 && "=+-@\t\r".Contains(c[0], StringComparison.Ordinal));
        Assert.Contains("'=HYPERLINK(\"http://example.invalid\",\"点我\") 加班费, \"怎么\" 算？😀", cells);
        // The first alternate starts with '-', so its whole cell is guarded once; later lines need no guard.
        Assert.Contains(cells, c => c.StartsWith("'-1+2 扣工资\n+86 电话\n@老板 拖欠\n'=已有一个引号\n''+两个引号\n'普通引号开头\n", StringComparison.Ordinal));
    }

    [Fact]
    public void ExportedCsv_WritesListsOneItemPerLine_AndSourcesAsTitleBarArticle()
    {
        var entry = Bare with
        {
            Alternates = ["加班费怎么算", "周末加班"],
            Sources = [new EntrySource("劳动法", "第四十四条"), new EntrySource("工资支付暂行规定", null), new EntrySource("a|b", @"c\d")],
            Tags = ["加班费"],
        };

        var row = CsvText.Parse(KnowledgeExport.Write([entry], ExchangeFormat.Csv)[1..]).Records[1];

        Assert.Equal("加班费怎么算\n周末加班", row[2].Value);
        Assert.Equal("劳动法|第四十四条\n工资支付暂行规定\na\\|b|c\\\\d", row[5].Value);
        Assert.Equal("加班费", row[6].Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("'")]
    [InlineData("''")]
    [InlineData("'a")]
    [InlineData("=1+1")]
    [InlineData("'=1+1")]
    [InlineData("''=1+1")]
    [InlineData("+")]
    [InlineData("-")]
    [InlineData("@")]
    [InlineData("\t=")]
    [InlineData("'\t")]
    [InlineData("a=b")]
    public void FormulaGuard_IsTakenOffExactly_AndLeavesNoFormulaStart(string value)
    {
        var guarded = SpreadsheetCells.Protect(value);

        Assert.Equal(value, SpreadsheetCells.Unprotect(guarded));
        Assert.False(guarded.Length > 0 && "=+-@\t\r".Contains(guarded[0], StringComparison.Ordinal));
    }
}
