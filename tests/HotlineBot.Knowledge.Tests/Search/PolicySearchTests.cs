using HotlineBot.Knowledge.Search;

namespace HotlineBot.Knowledge.Tests.Search;

/// <summary>Search over the real seeds, with questions written for these tests (not the seeds' alternates or the dev cases).</summary>
public sealed class PolicySearchTests(SeedSearchFixture fixture)
{
    /// <summary>Unambiguous questions: the entry must be answered outright.</summary>
    public static TheoryData<string, string> ClearQuestions => new()
    {
        { "周末被叫去加班给多少钱", "overtime-pay-rates" },
        { "老闆欠我三個月工資", "wage-arrears-how-to-claim" },
        { "加斑费怎么算", "overtime-pay-rates" },
        { "＂公司不给交五险＂", "social-insurance-contributions" },
        { "怀孕了公司要把我辞退😭😭", "pregnancy-nursing-dismissal-protection" },
        { "上班路上被电动车撞了算不算工伤", "commute-accident-work-injury" },
        { "年假一年能休几天", "paid-annual-leave" },
        { "離職的時候公司不給開證明", "termination-certificate" },
        { "老板要扣我身份证当押金！！！", "id-card-deposit-prohibited" },
        { "入职半年了公司还没跟我签合同", "contract-unsigned-double-wage" },
        { "生娃能休几天假", "maternity-leave-days" },
    };

    /// <summary>Colloquial questions whose right entry must rank first, whatever the band.</summary>
    public static TheoryData<string, string> RankedQuestions => new()
    {
        { "在厂里干活把手压伤了怎么认定工伤", "work-injury-recognition-application" },
        { "我要走人得提前几天跟老板讲", "resignation-notice" },
        { "公司无缘无故把我开了能赔多少", "unlawful-dismissal-compensation" },
        { "工地包工头卷钱跑了，工友们的血汗钱咋要回来", "construction-site-wage-arrears" },
        { "试用期干了两个月老板说我不合格叫我走人", "probation-dismissal" },
        { "夏天外面干活太热有没有补贴", "high-temperature-work-allowance" },
        { "想入工会要怎么弄🙏", "join-the-union" },
        { "跟公司闹矛盾了想申请仲裁怎么弄", "labour-arbitration-how-to-apply" },
        { "适用期最多能定几个月", "probation-length-and-pay" },
    };

    public static TheoryData<string> OutOfScopeQuestions =>
    [
        "房东不退押金怎么办",
        "骑电动车闯红灯被罚了200",
        "明天天气怎么样",
        "离婚孩子抚养权归谁",
        "淘宝买的鞋子怎么退货",
    ];

    [Theory]
    [MemberData(nameof(ClearQuestions))]
    public void Search_AnswersWithExpectedEntry_ForClearColloquialQuestion(string question, string expectedId)
    {
        var result = fixture.Search.Search(question);

        Assert.True(result.Candidates.Count > 0 && result.Candidates[0].Entry.Id == expectedId,
            $"expected {expectedId} first for '{question}', got {SeedSearchFixture.Describe(result)}");
        Assert.True(result.Band == SearchBand.Answer,
            $"expected an answer for '{question}', got {SeedSearchFixture.Describe(result)}");
        Assert.Equal(expectedId, result.Answer?.Id);
    }

    [Theory]
    [MemberData(nameof(RankedQuestions))]
    public void Search_RanksExpectedEntryFirst_ForColloquialQuestion(string question, string expectedId)
    {
        var result = fixture.Search.Search(question);

        Assert.True(result.Candidates.Count > 0 && result.Candidates[0].Entry.Id == expectedId,
            $"expected {expectedId} first for '{question}', got {SeedSearchFixture.Describe(result)}");
    }

    [Theory]
    [MemberData(nameof(OutOfScopeQuestions))]
    public void Search_DoesNotAnswer_ForOutOfScopeQuestion(string question)
    {
        var result = fixture.Search.Search(question);

        Assert.True(result.Band != SearchBand.Answer, $"answered out-of-scope '{question}': {SeedSearchFixture.Describe(result)}");
        Assert.Null(result.Answer);
    }

    [Fact]
    public void Search_ReportsMatchedTerms_ForTopCandidate()
    {
        var result = fixture.Search.Search("老板拖欠工资三个月了");

        var top = result.Candidates[0];
        Assert.Contains("拖欠工资", top.MatchedTerms);
        Assert.All(top.MatchedTerms, term => Assert.False(string.IsNullOrWhiteSpace(term)));
        Assert.False(string.IsNullOrWhiteSpace(top.MatchedPhrasing));
    }

    [Fact]
    public void Search_ReportsRecoveredDictionaryWord_AsMatchedTerm_ForTypo()
    {
        var result = fixture.Search.Search("加斑费怎么算");

        Assert.Contains("加班费", result.Candidates[0].MatchedTerms);
    }

    [Fact]
    public void Search_ReportsEachMatchedTermOnce_ForTopCandidate()
    {
        var result = fixture.Search.Search("周末被叫去加班给多少钱");

        var terms = result.Candidates[0].MatchedTerms;
        Assert.True(terms.Distinct(StringComparer.Ordinal).Count() == terms.Count, "matched terms repeat: " + string.Join(' ', terms));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("？？？！！！")]
    [InlineData("😭😭😭")]
    [InlineData("，。、……")]
    public void Search_FallsBackWithoutCandidates_ForEmptyOrPunctuationOnlyQuestion(string question)
    {
        var result = fixture.Search.Search(question);

        Assert.Equal(SearchBand.Fallback, result.Band);
        Assert.Empty(result.Candidates);
        Assert.Equal(0, result.Confidence);
        Assert.Null(result.Answer);
    }

    [Fact]
    public void Search_Throws_ForNullQuestion()
    {
        Assert.Throws<ArgumentNullException>(() => fixture.Search.Search(null!));
    }

    [Fact]
    public void Search_KeepsConfidenceWithinZeroAndOne_ForEverySeedQuestionAndTestQuestion()
    {
        var questions = fixture.Seeds.Published.Select(e => e.Question)
            .Concat(ClearQuestions.Select(row => row.Data.Item1))
            .Concat(RankedQuestions.Select(row => row.Data.Item1))
            .Concat(OutOfScopeQuestions.Select(row => row.Data))
            .Append(string.Concat(Enumerable.Repeat("老板拖欠工资不发还不给交社保，加班也没有加班费，", 30)))
            .Append("工资");

        foreach (var question in questions)
        {
            var result = fixture.Search.Search(question);

            Assert.InRange(result.Confidence, 0.0, 1.0);
            Assert.All(result.Candidates, c => Assert.InRange(c.Confidence, 0.0, 1.0));
            Assert.Equal(result.Candidates.Count > 0 ? result.Candidates[0].Confidence : 0, result.Confidence);
            Assert.Equal(result.Candidates.Select(c => c.Confidence).OrderDescending(), result.Candidates.Select(c => c.Confidence));
        }
    }

    [Fact]
    public void Search_AnswersWithHighConfidence_ForAnEntrysOwnQuestion()
    {
        var entry = fixture.Search.Find("overtime-pay-rates");
        Assert.NotNull(entry);

        var result = fixture.Search.Search(entry.Question);

        Assert.Equal("overtime-pay-rates", result.Candidates[0].Entry.Id);
        Assert.True(result.Confidence >= new SearchOptions().AnswerThreshold, SeedSearchFixture.Describe(result));
    }

    [Fact]
    public void Search_ListsAtMostMaxCandidates()
    {
        var result = fixture.Search.Search("工资");

        Assert.InRange(result.Candidates.Count, 0, new SearchOptions().MaxCandidates);
    }

    [Fact]
    public void Search_ReturnsNormalizedQuestion()
    {
        var result = fixture.Search.Search("老闆欠我三個月工資😭");

        Assert.Equal("老闆欠我三個月工資😭", result.Question);
        Assert.Equal("老板欠我三个月工资", result.Normalized);
    }

    [Fact]
    public void Find_ReturnsPublishedEntry_AndNullForUnknownId()
    {
        Assert.Equal("wage-arrears-how-to-claim", fixture.Search.Find("wage-arrears-how-to-claim")?.Id);
        Assert.Null(fixture.Search.Find("no-such-entry"));
        Assert.Equal(fixture.Seeds.Published.Count(), fixture.Search.Count);
    }
}
