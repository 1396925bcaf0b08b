using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Loading;

namespace HotlineBot.Knowledge.Tests.Loading;

public sealed class SeedLoaderTests : IDisposable
{
    private readonly TempSeeds _seeds = new();

    public void Dispose() => _seeds.Dispose();

    /// <summary>One valid entry as YAML list item; fields may be left out or replaced.</summary>
    private static string Entry(
        string id,
        string? question = "加班工资怎么算？",
        int alternates = 4,
        string? answer = "工作日加班按150%支付。",
        string? effectiveFrom = "2024-01-01",
        string? extra = null)
    {
        var lines = new List<string> { $"- id: {id}" };
        if (question is not null)
        {
            lines.Add($"  question: {question}");
        }

        lines.Add("  alternates:");
        lines.AddRange(Enumerable.Range(1, alternates).Select(i => $"    - 加班费问法{i}"));
        if (answer is not null)
        {
            lines.Add($"  answer: {answer}");
        }

        if (effectiveFrom is not null)
        {
            lines.Add($"  effectiveFrom: {effectiveFrom}");
        }

        if (extra is not null)
        {
            lines.Add(extra);
        }

        return string.Join('\n', lines) + "\n";
    }

    private static void AssertNamesPlace(KnowledgeLoadException error, string category, int line)
    {
        Assert.Equal(TempSeeds.DisplayName(category), error.File);
        Assert.Equal(line, error.Line);
        Assert.StartsWith($"{TempSeeds.DisplayName(category)}:{line}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ReadsValidFile_WithEveryField()
    {
        _seeds.WriteKnowledge("wages", """
            # 工资
            - id: overtime-test
              question: 加班工资怎么算？
              alternates:
                - 加班费怎么算
                - 周末加班给多少钱
                - 节假日加班几倍工资
                - 晚上加班有没有加班费
              answer: |
                **工作日150%，休息日200%，法定节假日300%。**
                依据：《劳动法》第四十四条
              category: wages
              sources:
                - title: 劳动法
                  article: 第四十四条
                - title: 工资支付暂行规定
              tags: [加班费, 加班工资]
              region: 广东
              effectiveFrom: 1995-01-01
              reviewBy: 2027-06-30
              status: published
              version: 3
            """);

        var set = SeedLoader.Load(_seeds.SeedsDirectory);

        var entry = Assert.Single(set.Entries);
        Assert.Equal("overtime-test", entry.Id);
        Assert.Equal("加班工资怎么算？", entry.Question);
        Assert.Equal(["加班费怎么算", "周末加班给多少钱", "节假日加班几倍工资", "晚上加班有没有加班费"], entry.Alternates);
        Assert.Equal("**工作日150%，休息日200%，法定节假日300%。**\n依据：《劳动法》第四十四条", entry.Answer);
        Assert.Equal("wages", entry.Category);
        Assert.Equal([new EntrySource("劳动法", "第四十四条"), new EntrySource("工资支付暂行规定", null)], entry.Sources);
        Assert.Equal(["加班费", "加班工资"], entry.Tags);
        Assert.Equal("广东", entry.Region);
        Assert.Equal(new DateOnly(1995, 1, 1), entry.EffectiveFrom);
        Assert.Equal(new DateOnly(2027, 6, 30), entry.ReviewBy);
        Assert.Equal(EntryStatus.Published, entry.Status);
        Assert.Equal(3, entry.Version);
        Assert.Equal([entry], set.Published);
    }

    [Fact]
    public void Load_AppliesDefaults_WhenOptionalFieldsAreLeftOut()
    {
        _seeds.WriteKnowledge("wages", Entry("overtime-test", effectiveFrom: "2024-02-29"));

        var entry = Assert.Single(SeedLoader.Load(_seeds.SeedsDirectory).Entries);

        Assert.Equal(PolicyEntry.NationalRegion, entry.Region);
        Assert.Equal("national", entry.Region);
        Assert.Equal("wages", entry.Category);
        Assert.Equal(new DateOnly(2025, 2, 28), entry.ReviewBy);
        Assert.Equal(entry.EffectiveFrom.AddYears(1), entry.ReviewBy);
        Assert.Equal(EntryStatus.Draft, entry.Status);
        Assert.Equal(1, entry.Version);
        Assert.Empty(entry.Sources);
        Assert.Empty(entry.Tags);
    }

    [Fact]
    public void Load_LeavesDraftAndRetiredEntriesOutOfPublished()
    {
        _seeds.WriteKnowledge("wages",
            Entry("draft-entry", extra: "  status: draft")
            + Entry("retired-entry", extra: "  status: retired")
            + Entry("live-entry", extra: "  status: published"));

        var set = SeedLoader.Load(_seeds.SeedsDirectory);

        Assert.Equal(3, set.Entries.Count);
        Assert.Equal(["live-entry"], set.Published.Select(e => e.Id));
    }

    [Fact]
    public void Load_ReadsEntriesOfEveryKnowledgeFile_WithCategoryFromFileName()
    {
        _seeds.WriteKnowledge("wages", Entry("overtime-test"));
        _seeds.WriteKnowledge("social-insurance", Entry("social-insurance-test"));

        var entries = SeedLoader.Load(_seeds.SeedsDirectory).Entries;

        Assert.Equal("social-insurance", Assert.Single(entries, e => e.Id == "social-insurance-test").Category);
        Assert.Equal("wages", Assert.Single(entries, e => e.Id == "overtime-test").Category);
    }

    /// <summary>
    /// An unclosed <c>[</c> makes YamlDotNet's scanner throw InvalidOperationException rather than a
    /// YamlException; the loader must still report it as a KnowledgeLoadException naming the place.
    /// </summary>
    [Fact]
    public void Load_Throws_NamingFileAndLine_ForUnclosedFlowSequence()
    {
        var yaml = Entry("overtime-test") + "- id: broken\n  question: [加班费怎么算\n  answer: 缺了右括号\n";
        _seeds.WriteKnowledge("wages", yaml);

        var error = Assert.Throws<KnowledgeLoadException>(() => SeedLoader.Load(_seeds.SeedsDirectory));

        Assert.Equal(TempSeeds.DisplayName("wages"), error.File);
        Assert.Contains("not valid YAML", error.Message, StringComparison.Ordinal);
        Assert.InRange(error.Line, TempSeeds.LineOf(yaml, "- id: broken"), TempSeeds.LineOf(yaml, "缺了右括号") + 1);
        Assert.StartsWith($"{error.File}:{error.Line}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Throws_NamingFileAndExactLine_ForBadIndentation()
    {
        var yaml = Entry("overtime-test") + "- id: broken\n  question: 加班费\n answer: 缩进错了\n";
        _seeds.WriteKnowledge("wages", yaml);

        var error = Assert.Throws<KnowledgeLoadException>(() => SeedLoader.Load(_seeds.SeedsDirectory));

        AssertNamesPlace(error, "wages", TempSeeds.LineOf(yaml, "缩进错了"));
        Assert.Contains("not valid YAML", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("question")]
    [InlineData("answer")]
    [InlineData("effectiveFrom")]
    public void Load_Throws_NamingFileAndLine_ForMissingRequiredField(string field)
    {
        var second = field switch
        {
            "question" => Entry("second-entry", question: null),
            "answer" => Entry("second-entry", answer: null),
            _ => Entry("second-entry", effectiveFrom: null),
        };
        var yaml = Entry("first-entry") + "\n" + second;
        _seeds.WriteKnowledge("wages", yaml);

        var error = Assert.Throws<KnowledgeLoadException>(() => SeedLoader.Load(_seeds.SeedsDirectory));

        AssertNamesPlace(error, "wages", TempSeeds.LineOf(yaml, "- id: second-entry"));
        Assert.Contains($"'{field}' is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Throws_NamingFileAndLine_ForMissingId()
    {
        var yaml = Entry("first-entry") + "- question: 没有编号的问题\n  alternates: [一, 二, 三, 四]\n  answer: 答案\n  effectiveFrom: 2024-01-01\n";
        _seeds.WriteKnowledge("wages", yaml);

        var error = Assert.Throws<KnowledgeLoadException>(() => SeedLoader.Load(_seeds.SeedsDirectory));

        AssertNamesPlace(error, "wages", TempSeeds.LineOf(yaml, "没有编号的问题"));
        Assert.Contains("'id' is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Throws_NamingBothPlaces_ForDuplicateIdAcrossFiles()
    {
        var first = Entry("other-entry") + Entry("shared-id");
        var second = "# 社保\n" + Entry("shared-id");
        _seeds.WriteKnowledge("alpha", first);
        _seeds.WriteKnowledge("beta", second);

        var error = Assert.Throws<KnowledgeLoadException>(() => SeedLoader.Load(_seeds.SeedsDirectory));

        AssertNamesPlace(error, "beta", TempSeeds.LineOf(second, "- id: shared-id"));
        Assert.Contains("duplicate id 'shared-id'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{TempSeeds.DisplayName("alpha")}:{TempSeeds.LineOf(first, "- id: shared-id")}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Throws_ForDuplicateIdWithinOneFile()
    {
        var one = Entry("same-id");
        _seeds.WriteKnowledge("wages", one + one);

        var error = Assert.Throws<KnowledgeLoadException>(() => SeedLoader.Load(_seeds.SeedsDirectory));

        Assert.Equal(one.Count(c => c == '\n') + 1, error.Line);
        Assert.Contains("duplicate id 'same-id'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{TempSeeds.DisplayName("wages")}:1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Throws_WhenCategoryDiffersFromFileName()
    {
        var yaml = Entry("first-entry") + Entry("misfiled-entry", extra: "  category: termination");
        _seeds.WriteKnowledge("wages", yaml);

        var error = Assert.Throws<KnowledgeLoadException>(() => SeedLoader.Load(_seeds.SeedsDirectory));

        AssertNamesPlace(error, "wages", TempSeeds.LineOf(yaml, "- id: misfiled-entry"));
        Assert.Contains("'termination'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'wages'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Throws_ForFewerThanFourAlternates()
    {
        var yaml = Entry("first-entry") + Entry("thin-entry", alternates: 3);
        _seeds.WriteKnowledge("wages", yaml);

        var error = Assert.Throws<KnowledgeLoadException>(() => SeedLoader.Load(_seeds.SeedsDirectory));

        AssertNamesPlace(error, "wages", TempSeeds.LineOf(yaml, "- id: thin-entry"));
        Assert.Contains("3 alternates", error.Message, StringComparison.Ordinal);
        Assert.Contains("at least 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Accepts_ExactlyFourAlternates()
    {
        _seeds.WriteKnowledge("wages", Entry("four-alternates", alternates: 4));

        var entry = Assert.Single(SeedLoader.Load(_seeds.SeedsDirectory).Entries);

        Assert.Equal(4, entry.Alternates.Count);
    }

    [Theory]
    [InlineData("2024-13-01")]
    [InlineData("2024/01/01")]
    [InlineData("明年")]
    public void Load_Throws_NamingLine_ForBadEffectiveFromDate(string date)
    {
        var yaml = Entry("first-entry") + Entry("dated-entry", effectiveFrom: date);
        _seeds.WriteKnowledge("wages", yaml);

        var error = Assert.Throws<KnowledgeLoadException>(() => SeedLoader.Load(_seeds.SeedsDirectory));

        AssertNamesPlace(error, "wages", TempSeeds.LineOf(yaml, $"effectiveFrom: {date}"));
        Assert.Contains("'effectiveFrom'", error.Message, StringComparison.Ordinal);
        Assert.Contains(date, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Throws_NamingLine_ForBadReviewByDate()
    {
        var yaml = Entry("dated-entry", extra: "  reviewBy: 2025-02-30");
        _seeds.WriteKnowledge("wages", yaml);

        var error = Assert.Throws<KnowledgeLoadException>(() => SeedLoader.Load(_seeds.SeedsDirectory));

        AssertNamesPlace(error, "wages", TempSeeds.LineOf(yaml, "reviewBy:"));
        Assert.Contains("'reviewBy'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Throws_WhenReviewByIsBeforeEffectiveFrom()
    {
        _seeds.WriteKnowledge("wages", Entry("dated-entry", effectiveFrom: "2024-01-01", extra: "  reviewBy: 2023-01-01"));

        var error = Assert.Throws<KnowledgeLoadException>(() => SeedLoader.Load(_seeds.SeedsDirectory));

        Assert.Contains("reviewBy 2023-01-01 is before effectiveFrom 2024-01-01", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("live")]
    [InlineData("1")]
    public void Load_Throws_NamingLine_ForUnknownStatus(string status)
    {
        var yaml = Entry("status-entry", extra: $"  status: \"{status}\"");
        _seeds.WriteKnowledge("wages", yaml);

        var error = Assert.Throws<KnowledgeLoadException>(() => SeedLoader.Load(_seeds.SeedsDirectory));

        AssertNamesPlace(error, "wages", TempSeeds.LineOf(yaml, "status:"));
        Assert.Contains("status must be draft, published or retired", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Throws_ForIdThatIsNotASlug()
    {
        _seeds.WriteKnowledge("wages", Entry("Overtime_Pay"));

        var error = Assert.Throws<KnowledgeLoadException>(() => SeedLoader.Load(_seeds.SeedsDirectory));

        Assert.Contains("'Overtime_Pay'", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void Load_Throws_NamingLine_WhenFileIsNotAList()
    {
        _seeds.WriteKnowledge("wages", "# comment\nid: not-a-list\nquestion: 问题\n");

        var error = Assert.Throws<KnowledgeLoadException>(() => SeedLoader.Load(_seeds.SeedsDirectory));

        AssertNamesPlace(error, "wages", 2);
        Assert.Contains("must be a list", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Throws_WhenKnowledgeFolderIsMissing()
    {
        Directory.Delete(Path.Combine(_seeds.SeedsDirectory, "knowledge"));

        Assert.Throws<DirectoryNotFoundException>(() => SeedLoader.Load(_seeds.SeedsDirectory));
    }

    [Fact]
    public void Load_ReadsLanguageDataAndSmallTalk_FromTheirFiles()
    {
        _seeds.WriteKnowledge("wages", Entry("overtime-test"));
        _seeds.Write("dictionary.txt", "# 词典\n加班费\n拖欠工资  # 常见\n\n加班费\n");
        _seeds.Write("synonyms.yaml", "- term: 用人单位\n  words: [老板, 公司]\n");
        _seeds.Write("out-of-scope.yaml", "cues:\n  - name: tenancy\n    words: [房东]\n    unless: [宿舍]\nsamples:\n  - 房东不退押金怎么办\n");
        _seeds.Write("smalltalk.yaml", "- intent: greeting\n  patterns: [你好]\n  replies: [你好！]\n");

        var set = SeedLoader.Load(_seeds.SeedsDirectory);

        Assert.Equal(["加班费", "拖欠工资"], set.Language.DictionaryTerms);
        var group = Assert.Single(set.Language.Synonyms);
        Assert.Equal("用人单位", group.Term);
        Assert.Equal(["老板", "公司"], group.Words);
        var cue = Assert.Single(set.Language.OutOfScopeCues);
        Assert.Equal("tenancy", cue.Name);
        Assert.Equal(["房东"], cue.Words);
        Assert.Equal(["宿舍"], cue.Unless);
        Assert.Equal(["房东不退押金怎么办"], set.Language.OutOfScopeSamples);
        var intent = Assert.Single(set.SmallTalk);
        Assert.Equal("greeting", intent.Intent);
    }

    [Fact]
    public void Load_Throws_NamingFileAndLine_ForSmallTalkIntentWithoutReplies()
    {
        _seeds.WriteKnowledge("wages", Entry("overtime-test"));
        _seeds.Write("smalltalk.yaml", "- intent: greeting\n  patterns: [你好]\n  replies: [你好！]\n- intent: thanks\n  patterns: [谢谢]\n");

        var error = Assert.Throws<KnowledgeLoadException>(() => SeedLoader.Load(_seeds.SeedsDirectory));

        Assert.Equal(Path.Combine("seeds", "smalltalk.yaml"), error.File);
        Assert.Equal(4, error.Line);
    }
}
