using HotlineBot.Knowledge.Tests.Entries;
using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Exchange;
using HotlineBot.Knowledge.Loading;

namespace HotlineBot.Knowledge.Tests.Exchange;

/// <summary>Entries and assertions the exchange tests share.</summary>
internal static class ExchangeEntries
{
    public static DateOnly Today { get; } = new(2026, 11, 30);

    private static readonly Lazy<IReadOnlyList<PolicyEntry>> SeedEntries = new(() => SeedLoader.LoadEntries(TestSeeds.Directory));

    /// <summary>Every entry the project ships in seeds/knowledge.</summary>
    public static IReadOnlyList<PolicyEntry> Seeds => SeedEntries.Value;

    public static TheoryData<ExchangeFormat> Formats => [ExchangeFormat.Yaml, ExchangeFormat.Json, ExchangeFormat.Csv];

    /// <summary>Content that breaks naive CSV, YAML and spreadsheets: separators, quotes, line breaks, formulas, escapes, emoji.</summary>
    public static PolicyEntry Tricky { get; } = new()
    {
        Id = "tricky-content",
        Question = "=HYPERLINK(\"http://example.invalid\",\"点我\") 加班费, \"怎么\" 算？😀",
        Alternates =
        [
            "-1+2 扣工资", "+86 电话", "@老板 拖欠", "'=已有一个引号", "''+两个引号", "'普通引号开头", "带,逗号", "带\"引号\"和''",
            "多行\n第二行", "竖线|a|b", @"反斜杠\n不是换行 \\ \| \", "emoji 👷‍♀️🦺", "a: b # 不是注释", "- 破折号开头", "null", "~", "yes", "123",
            "[不是列表]", "{不是映射}", "&anchor *alias", "%指令", "`反引号`", "'", "\"", "控制\u0007字符\t制表符\u00a0不换行空格", "\u200b零宽空格",
        ],
        Answer = "**工作日150%**，休息日200%。  \n换行前有两个空格\n\n- 第一步：\"保留证据\", 逗号\n  - 子项|竖线\n| 表格 | 列 |\n\\n 不是换行\n依据：《劳动法》第四十四条 =SUM(A1)\n😀 结尾",
        Category = "wages",
        Sources =
        [
            new EntrySource("劳动法|修正版", "第四十四条|第二款"),
            new EntrySource("=公式标题", null),
            new EntrySource(@"路径\法规\", "第\"一\"条,\n第二行"),
            new EntrySource("仅标题", null),
            new EntrySource("-减号", "@at"),
        ],
        Tags = ["加班费", "a,b", "=tag", "@tag", "'-x", "tag|pipe", "😀", "#号"],
        Region = "广东,深圳",
        EffectiveFrom = new DateOnly(1995, 1, 1),
        ReviewBy = new DateOnly(2027, 6, 30),
        Status = EntryStatus.Retired,
        Version = 7,
    };

    /// <summary>An entry with nothing optional: empty lists, no sources, a single line answer that starts like a formula.</summary>
    public static PolicyEntry Bare { get; } = new()
    {
        Id = "bare",
        Question = "- 只有问题",
        Answer = "+ 一行答案",
        Category = "misc",
        EffectiveFrom = new DateOnly(2026, 1, 1),
        ReviewBy = new DateOnly(2026, 1, 1),
    };

    /// <summary>Every field alike, one assertion per field so a failure names it.</summary>
    public static void AssertSame(PolicyEntry expected, PolicyEntry actual) => EntryAssert.Same(expected, actual);

    public static void AssertSame(IReadOnlyList<PolicyEntry> expected, IReadOnlyList<PolicyEntry> actual)
    {
        Assert.Equal(expected.Select(e => e.Id), actual.Select(e => e.Id));
        for (var i = 0; i < expected.Count; i++)
        {
            AssertSame(expected[i], actual[i]);
        }
    }

    /// <summary>Reads the text and asserts it had no problems.</summary>
    public static IReadOnlyList<PolicyEntry> ReadClean(string text, ExchangeFormat format)
    {
        var file = KnowledgeImport.Read(text, format, Today);
        Assert.True(!file.HasErrors, string.Join("\n", file.Errors));
        return file.Entries;
    }
}
