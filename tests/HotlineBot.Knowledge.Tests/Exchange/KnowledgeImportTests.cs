using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Exchange;
using HotlineBot.Knowledge.Tests.Loading;
using static HotlineBot.Knowledge.Tests.Exchange.ExchangeEntries;

namespace HotlineBot.Knowledge.Tests.Exchange;

public class KnowledgeImportTests
{
    private static readonly string[] BaseFields = ["question: 问", "answer: 答", "category: wages"];

    /// <summary>The same entry written by hand in each format, with only the fields the admin API requires.</summary>
    private static string Minimal(ExchangeFormat format) => format switch
    {
        ExchangeFormat.Yaml => "- question: 加班费怎么算？\n  answer: 按150%支付。\n  category: wages\n",
        ExchangeFormat.Json => """[{"question": "加班费怎么算？", "answer": "按150%支付。", "category": "wages"}]""",
        _ => "question,answer,category\r\n加班费怎么算？,按150%支付。,wages\r\n",
    };

    private static ImportError SingleError(string text, ExchangeFormat format)
    {
        var file = KnowledgeImport.Read(text, format, Today);
        return Assert.Single(file.Errors);
    }

    [Theory]
    [MemberData(nameof(Formats), MemberType = typeof(ExchangeEntries))]
    public void Read_AppliesTheApiDefaults_ToAnEntryWithOnlyQuestionAnswerAndCategory(ExchangeFormat format)
    {
        var entry = Assert.Single(ReadClean(Minimal(format), format));

        Assert.Equal(string.Empty, entry.Id);
        Assert.Equal("加班费怎么算？", entry.Question);
        Assert.Equal("按150%支付。", entry.Answer);
        Assert.Equal("wages", entry.Category);
        Assert.Empty(entry.Alternates);
        Assert.Empty(entry.Sources);
        Assert.Empty(entry.Tags);
        Assert.Equal(PolicyEntry.NationalRegion, entry.Region);
        Assert.Equal(Today, entry.EffectiveFrom);
        Assert.Equal(Today.AddYears(1), entry.ReviewBy);
        Assert.Equal(EntryStatus.Draft, entry.Status);
        Assert.Equal(1, entry.Version);
    }

    [Fact]
    public void Read_AcceptsFewAlternates_UnlikeTheSeedFiles()
    {
        var entry = Assert.Single(ReadClean("- id: thin\n  question: 问\n  alternates: [一种问法]\n  answer: 答\n  category: wages\n", ExchangeFormat.Yaml));

        Assert.Equal(["一种问法"], entry.Alternates);
    }

    [Fact]
    public void Read_CountsReviewByFromEffectiveFrom_WhenTheEntryStartsAfterToday()
    {
        var entry = Assert.Single(ReadClean(
            """[{"question": "q", "answer": "a", "category": "wages", "effectiveFrom": "2028-03-01"}]""", ExchangeFormat.Json));

        Assert.Equal(new DateOnly(2029, 3, 1), entry.ReviewBy);
    }

    [Fact]
    public void Read_CountsReviewByFromToday_WhenTheEntryIsInForceAlready()
    {
        var entry = Assert.Single(ReadClean("question,answer,category,effectiveFrom\nq,a,wages,1995-01-01\n", ExchangeFormat.Csv));

        Assert.Equal(new DateOnly(1995, 1, 1), entry.EffectiveFrom);
        Assert.Equal(Today.AddYears(1), entry.ReviewBy);
    }

    [Fact]
    public void Read_NamesEntryFieldAndLine_ForASourceWithoutTitle_InYaml()
    {
        var yaml = KnowledgeExport.Write([Bare], ExchangeFormat.Yaml)
            + "\n- id: second\n  question: 问\n  answer: 答\n  category: wages\n  sources:\n    - title: 劳动法\n    - article: 第一条\n";

        var error = SingleError(yaml, ExchangeFormat.Yaml);

        Assert.Equal(1, error.EntryIndex);
        Assert.Equal("second", error.EntryId);
        Assert.Equal("sources[1].title", error.Field);
        Assert.Equal(TempSeeds.LineOf(yaml, "- article: 第一条"), error.Line);
        Assert.Contains("'title' is required", error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"line {error.Line} entries[1] (second) sources[1].title: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NamesEntryFieldAndLine_ForABadDate_InJson()
    {
        var json = """
            {"entries": [
              {"id": "first", "question": "q", "answer": "a", "category": "wages"},
              {"id": "second", "question": "q", "answer": "a", "category": "wages",
               "reviewBy": "2025-02-30"}
            ]}
            """;

        var error = SingleError(json, ExchangeFormat.Json);

        Assert.Equal(1, error.EntryIndex);
        Assert.Equal("second", error.EntryId);
        Assert.Equal("reviewBy", error.Field);
        Assert.Equal(TempSeeds.LineOf(json, "2025-02-30"), error.Line);
        Assert.Contains("YYYY-MM-DD", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NamesEntryFieldAndLine_InCsv_CountingLineBreaksInsideCells()
    {
        var csv = "id,question,answer,category,status,sources\r\n"
            + "first,q,\"两行\n答案\",wages,published,劳动法|第一条\r\n"
            + "second,q,a,wages,live,\"劳动法\n|第二条\"\r\n";

        var errors = KnowledgeImport.Read(csv, ExchangeFormat.Csv, Today).Errors;

        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Equal((1, "second"), (e.EntryIndex!.Value, e.EntryId!)));
        var status = Assert.Single(errors, e => e.Field == "status");
        Assert.Equal(4, status.Line);
        Assert.Contains("status must be draft, published or retired, not 'live'", status.Message, StringComparison.Ordinal);
        var title = Assert.Single(errors, e => e.Field == "sources[1].title");
        Assert.Equal(5, title.Line);
    }

    [Theory]
    [InlineData("id: Overtime_Pay", "id", "readable slug")]
    [InlineData("category: Wages!", "category", "must be a slug")]
    [InlineData("effectiveFrom: 2026-01-01\n  reviewBy: 2025-01-01", "reviewBy", "is before effectiveFrom")]
    [InlineData("version: 0", "version", "version must be 1 or more")]
    [InlineData("version: two", "version", "whole number")]
    [InlineData("alternates: 一种问法", "alternates", "must be a list")]
    [InlineData("tags: [好, '']", "tags[1]", "non-empty text")]
    [InlineData("sources: [劳动法]", "sources[0]", "mapping of fields")]
    [InlineData("question: [问]", "question", "must be text")]
    [InlineData("reviwBy: 2027-01-01", "reviwBy", "unknown field 'reviwBy'")]
    public void Read_NamesTheField_ForEachBrokenRule(string line, string field, string message)
    {
        // The line replaces the base field of the same name.
        var given = line.Split('\n').Select(l => l.Trim().Split(':')[0]).ToHashSet(StringComparer.Ordinal);
        var fields = BaseFields.Where(f => !given.Contains(f.Split(':')[0])).Append(line);
        var yaml = "- " + string.Join("\n  ", fields) + "\n";

        var error = SingleError(yaml, ExchangeFormat.Yaml);

        Assert.Equal(field, error.Field);
        Assert.Equal(0, error.EntryIndex);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Line);
    }

    [Theory]
    [MemberData(nameof(Formats), MemberType = typeof(ExchangeEntries))]
    public void Read_ReportsEveryMissingRequiredField_AtTheEntry(ExchangeFormat format)
    {
        var text = format switch
        {
            ExchangeFormat.Yaml => "- id: empty-entry\n  region: 广东\n",
            ExchangeFormat.Json => """[{"id": "empty-entry", "region": "广东"}]""",
            _ => "id,question,answer,category,region\nempty-entry,,,,广东\n",
        };

        var errors = KnowledgeImport.Read(text, format, Today).Errors;

        Assert.Equal(["answer", "category", "question"], errors.Select(e => e.Field).Order(StringComparer.Ordinal));
        var line = format == ExchangeFormat.Csv ? 2L : 1L;
        Assert.All(errors, e => Assert.Equal((0, "empty-entry", line), (e.EntryIndex!.Value, e.EntryId!, e.Line!.Value)));
    }

    [Fact]
    public void Read_KeepsTheGoodEntries_BesideTheErrorsOfOthers()
    {
        var json = KnowledgeExport.Write([Tricky, Bare with { Status = EntryStatus.Published }], ExchangeFormat.Json)
            .Replace("\"status\": \"published\"", "\"status\": \"public\"", StringComparison.Ordinal);

        var file = KnowledgeImport.Read(json, ExchangeFormat.Json, Today);

        AssertSame([Tricky], file.Entries);
        var error = Assert.Single(file.Errors);
        Assert.Equal((1, "bare", "status"), (error.EntryIndex!.Value, error.EntryId!, error.Field));
    }

    [Theory]
    [MemberData(nameof(Formats), MemberType = typeof(ExchangeEntries))]
    public void Read_RejectsAnIdUsedTwice_NamingTheFirstUse(ExchangeFormat format)
    {
        var file = KnowledgeImport.Read(KnowledgeExport.Write([Bare, Tricky, Bare], format), format, Today);

        AssertSame([Bare, Tricky], file.Entries);
        var error = Assert.Single(file.Errors);
        Assert.Equal((2, "bare", "id"), (error.EntryIndex!.Value, error.EntryId!, error.Field));
        Assert.Contains("entries[0]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RejectsAJsonFieldGivenTwice()
    {
        var error = SingleError("""[{"question": "q", "answer": "a", "category": "wages", "answer": "b"}]""", ExchangeFormat.Json);

        Assert.Equal("answer", error.Field);
        Assert.Contains("given twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RejectsUnknownAndMissingCsvColumns_AtTheHeader()
    {
        var errors = KnowledgeImport.Read("question,answer,catgory\nq,a,wages\n", ExchangeFormat.Csv, Today).Errors;

        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Equal((null, 1L, ""), (e.EntryIndex, e.Line!.Value, e.Field)));
        Assert.Contains(errors, e => e.Message.Contains("unknown column 'catgory'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Message.Contains("no 'category' column", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_TakesCsvColumnsInAnyOrderAndCase_AndSkipsBlankRows()
    {
        var csv = "Category,QUESTION,answer,Tags\n\nwages,q,a,\"一\n\n二\"\n,,,\n";

        var entry = Assert.Single(ReadClean(csv, ExchangeFormat.Csv));

        Assert.Equal(("wages", "q"), (entry.Category, entry.Question));
        Assert.Equal(["一", "二"], entry.Tags);
    }

    [Fact]
    public void Read_ReportsACsvCellPastTheHeader()
    {
        var error = SingleError("question,answer,category\nq,a,wages,多出来的\n", ExchangeFormat.Csv);

        Assert.Equal(0, error.EntryIndex);
        Assert.Equal(2, error.Line);
        Assert.Contains("no header", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    // YamlDotNet finds the unclosed flow list at the end of the text.
    [InlineData(ExchangeFormat.Yaml, "- id: a\n  question: [未闭合\n", 3)]
    [InlineData(ExchangeFormat.Yaml, "- id: a\n  question: q\n answer: 缩进错了\n", 3)]
    [InlineData(ExchangeFormat.Json, "[{\"id\": \"a\",\n \"question\": }]", 2)]
    [InlineData(ExchangeFormat.Json, "{\"entries\": [\n{}\n", 3)]
    [InlineData(ExchangeFormat.Csv, "question,answer,category\nq,\"未闭合,wages\n", 2)]
    [InlineData(ExchangeFormat.Csv, "question,answer,category\nq,\"a\"b,wages\n", 2)]
    public void Read_ReportsTheLine_OfASyntaxError(ExchangeFormat format, string text, long line)
    {
        var error = SingleError(text, format);

        Assert.Null(error.EntryIndex);
        Assert.Equal(line, error.Line);
    }

    [Theory]
    [MemberData(nameof(Formats), MemberType = typeof(ExchangeEntries))]
    public void Read_ReportsAnEmptyFile(ExchangeFormat format)
    {
        Assert.Contains("empty", SingleError("\uFEFF \n\t", format).Message, StringComparison.Ordinal);
    }

    public static TheoryData<ExchangeFormat, string> Garbage()
    {
        string[] texts =
        [
            "\0\0\0", "💥", "{", "}", "[", "]", "[[[[", "\"", "'", ",", ",,,\n,,,", "null", "true", "42", "-", "- -", "? ? ?",
            "a: &x [*x]\n", "- &e {id: *e}\n", "*nope", "%YAML 9.9\n---\n", "---\n...\n---\n", "- !!binary AAAA\n", "- !tag {}\n",
            "{\"entries\": 5}", "{\"entries\": [1, \"x\", null, [], {}]}", "[{\"question\": {\"a\": [1]}}]", "[{\"id\": 5e999}]",
            "[\"\\ud800\"]", "[\"\\uZZZZ\"]", "{\"a\":1}{", "/* only a comment */", "\"a\"\"b\"", "a,b\n\"c", "\r\r\r\"",
            "question\n" + new string('"', 7), new string('[', 5000), new string('{', 5000), string.Concat(Enumerable.Repeat("- ", 3000)) + "x",
            string.Concat(Enumerable.Repeat("[", 100)) + string.Concat(Enumerable.Repeat("]", 100)),
            "- id: x\n  sources: [[[[[[[[[[[[]]]]]]]]]]]]\n", "- id: x\n  sources: {a: b}\n", "- {id: x, id: y}\n",
        ];
        var data = new TheoryData<ExchangeFormat, string>();
        foreach (var format in new[] { ExchangeFormat.Yaml, ExchangeFormat.Json, ExchangeFormat.Csv })
        {
            foreach (var text in texts)
            {
                data.Add(format, text);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Garbage))]
    public void Read_ReportsErrors_ForGarbage_WithoutThrowing(ExchangeFormat format, string text)
    {
        var file = KnowledgeImport.Read(text, format, Today);

        Assert.True(file.HasErrors);
        Assert.Empty(file.Entries);
    }

    /// <summary>Nesting this deep overflows the stack of a recursive reader, which would end the process.</summary>
    [Theory]
    [InlineData(ExchangeFormat.Yaml, "flow")]
    [InlineData(ExchangeFormat.Yaml, "block")]
    [InlineData(ExchangeFormat.Yaml, "mapping")]
    [InlineData(ExchangeFormat.Json, "flow")]
    public void Read_ReportsDeepNesting_WithoutOverflowingTheStack(ExchangeFormat format, string shape)
    {
        const int depth = 200_000;
        var text = shape switch
        {
            "flow" => new string('[', depth) + new string(']', depth),
            "block" => string.Concat(Enumerable.Repeat("- ", depth)) + "x\n",
            _ => string.Concat(Enumerable.Repeat("{a: ", depth)) + "b" + new string('}', depth),
        };

        var error = SingleError(text, format);

        Assert.Equal(1, error.Line);
        Assert.Null(error.EntryIndex);
    }

    /// <summary>Cut, doubled and overwritten pieces of real exports, from a fixed seed so every run reads the same texts.</summary>
    [Theory]
    [MemberData(nameof(Formats), MemberType = typeof(ExchangeEntries))]
    public void Read_NeverThrows_ForMangledExports(ExchangeFormat format)
    {
        var export = KnowledgeExport.Write([Tricky, Bare, .. Seeds.Take(3)], format);
        var random = new Random(20261130);
        const string noise = "\"',\n\r|\\=-:#[]{}&*!?%@` \t😀\0";

        for (var i = 0; i < 400; i++)
        {
            var at = random.Next(export.Length);
            var length = random.Next(1, 40);
            var text = (i % 4) switch
            {
                0 => export[..at],
                1 => export.Remove(at, Math.Min(length, export.Length - at)),
                2 => export.Insert(at, new string(noise[random.Next(noise.Length)], random.Next(1, 4))),
                _ => export.Insert(at, export.Substring(random.Next(export.Length - length), length)),
            };

            var exception = Record.Exception(() => KnowledgeImport.Read(text, format, Today));

            Assert.True(exception is null, $"{exception} for:\n{text}");
        }
    }

    [Fact]
    public void Read_ThrowsOnlyTheDocumentedExceptions_ForBadArguments()
    {
        Assert.Throws<ArgumentNullException>(() => KnowledgeImport.Read(null!, ExchangeFormat.Json, Today));
        Assert.Throws<ArgumentOutOfRangeException>(() => KnowledgeImport.Read("[]", (ExchangeFormat)9, Today));
    }

    [Theory]
    [InlineData("yaml", ExchangeFormat.Yaml)]
    [InlineData("YML", ExchangeFormat.Yaml)]
    [InlineData(".Json", ExchangeFormat.Json)]
    [InlineData(" csv ", ExchangeFormat.Csv)]
    public void ExchangeFormats_Parse_ReadsNamesAndExtensions(string text, ExchangeFormat format)
    {
        Assert.Equal(format, ExchangeFormats.Parse(text));
        Assert.True(ExchangeFormats.TryParse(format.FileExtension(), out var again));
        Assert.Equal(format, again);
    }

    [Theory]
    [InlineData("")]
    [InlineData("xml")]
    [InlineData("1")]
    [InlineData("Yaml,Json")]
    public void ExchangeFormats_Parse_RejectsOtherNames(string text)
    {
        Assert.False(ExchangeFormats.TryParse(text, out _));
        Assert.Throws<FormatException>(() => ExchangeFormats.Parse(text));
    }
}
