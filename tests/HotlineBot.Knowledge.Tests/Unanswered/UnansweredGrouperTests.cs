using HotlineBot.Knowledge.Tests.Search;
using HotlineBot.Knowledge.Text;
using HotlineBot.Knowledge.Unanswered;

namespace HotlineBot.Knowledge.Tests.Unanswered;

public sealed class UnansweredGrouperTests(SeedSearchFixture fixture)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private static readonly string[] HousingFund =
        ["公司不给交住房公积金怎么办", "单位不缴公积金怎么办", "公司不交公积金合法吗", "公積金公司不交怎麼辦", "老板不给我们交公积金"];

    private static readonly string[] DormitoryPower = ["宿舍停电了找谁", "宿舍一直停电怎么办"];

    private static readonly string[] TeamBuilding = ["团建不去扣钱合法吗", "公司团建不去扣钱"];

    private UnansweredGrouper Grouper { get; } =
        new(new TextAnalyzer(fixture.Seeds.Language), fixture.Seeds.Published.SelectMany(e => e.Phrasings()));

    private static List<UnansweredQuestion> Asked(params string[] texts) =>
        [.. texts.Select((text, i) => new UnansweredQuestion(i + 1, text, Start.AddMinutes(i), UnansweredSource.Fallback))];

    [Fact]
    public void Group_PutsVariantsOfOneQuestionTogether_AndKeepsOtherTopicsApart()
    {
        var groups = Grouper.Group(Asked([.. HousingFund, .. DormitoryPower, .. TeamBuilding, "考驾照可以请假吗", "食堂饭菜太难吃"]));

        Assert.Equal(5, groups.Count);
        Assert.Equal(HousingFund.Order(), groups[0].Questions.Select(q => q.Text).Order());
        Assert.Contains(groups, g => g.Questions.Select(q => q.Text).Order().SequenceEqual(DormitoryPower.Order()));
        Assert.Contains(groups, g => g.Questions.Select(q => q.Text).Order().SequenceEqual(TeamBuilding.Order()));
        Assert.Contains(groups, g => g.Wording == "考驾照可以请假吗" && g.Count == 1);
        Assert.Contains(groups, g => g.Wording == "食堂饭菜太难吃" && g.Count == 1);
    }

    [Fact]
    public void Group_TreatsTraditionalAndSimplifiedSpellingAsOneWording()
    {
        var groups = Grouper.Group(Asked("工資沒發", "工资没发", "工资还没发怎么办"));

        var group = Assert.Single(groups);
        Assert.Equal(3, group.Count);
        Assert.Equal(2, group.Examples.Count);
        Assert.Equal("工资没发", group.Wording);
        Assert.Equal(["工资没发", "工资还没发怎么办"], group.Examples);
    }

    [Fact]
    public void Group_OrdersGroupsByCount_ThenByMostRecent()
    {
        var questions = new List<UnansweredQuestion>
        {
            new(1, "宿舍停电了找谁", Start, UnansweredSource.Fallback),
            new(2, "考驾照可以请假吗", Start.AddHours(1), UnansweredSource.Fallback),
            new(3, "宿舍一直停电怎么办", Start.AddHours(2), UnansweredSource.Fallback),
            new(4, "食堂饭菜太难吃", Start.AddHours(3), UnansweredSource.Fallback),
            new(5, "团建不去扣钱合法吗", Start.AddHours(4), UnansweredSource.Fallback),
            new(6, "公司团建不去扣钱", Start.AddHours(5), UnansweredSource.Fallback),
            new(7, "团建不去扣钱合法吗", Start.AddHours(6), UnansweredSource.Fallback),
        };

        var groups = Grouper.Group(questions);

        Assert.Equal(["团建不去扣钱合法吗", "宿舍一直停电怎么办", "食堂饭菜太难吃", "考驾照可以请假吗"], groups.Select(g => g.Wording));
        Assert.Equal([3, 2, 1, 1], groups.Select(g => g.Count));
    }

    [Fact]
    public void Group_CountsSourcesWorkersAndTimes_AndShowsAtMostFiveDistinctExamples()
    {
        var questions = new List<UnansweredQuestion>
        {
            new(1, "公司不给交住房公积金怎么办", Start, UnansweredSource.Fallback, OptedInBy: "worker-a"),
            new(2, "公司不给交住房公积金怎么办？", Start.AddDays(1), UnansweredSource.NoneOfThese, OptedInBy: "worker-b"),
            new(3, "单位不缴公积金怎么办", Start.AddDays(2), UnansweredSource.NotSolved, OptedInBy: "worker-a"),
            new(4, "公司不交公积金合法吗", Start.AddDays(3), UnansweredSource.Fallback),
            new(5, "公積金公司不交怎麼辦", Start.AddDays(4), UnansweredSource.Fallback),
            new(6, "老板不给我们交公积金", Start.AddDays(5), UnansweredSource.Fallback),
            new(7, "公司不给交公积金怎么办", Start.AddDays(6), UnansweredSource.Fallback),
        };

        var group = Assert.Single(Grouper.Group(questions));

        Assert.Equal(7, group.Count);
        Assert.Equal(Start, group.FirstAt);
        Assert.Equal(Start.AddDays(6), group.LastAt);
        Assert.Equal(new UnansweredSourceCounts(5, 1, 1), group.Sources);
        Assert.Equal(2, group.OptedIn);
        Assert.Equal("公司不给交住房公积金怎么办？", group.Wording);
        Assert.Equal(UnansweredGrouper.MaxExamples, group.Examples.Count);
        Assert.Equal(group.Examples.Count, group.Examples.Select(UnansweredGrouper.Key).Distinct().Count());
        Assert.Equal(group.Wording, group.Examples[0]);
    }

    [Fact]
    public void Group_GivesTheSameGroupsAndIds_WhateverTheOrderOfTheQuestions()
    {
        var questions = Asked([.. HousingFund, .. DormitoryPower, .. TeamBuilding, "考驾照可以请假吗"]);

        var forward = Grouper.Group(questions);
        var backward = Grouper.Group(Enumerable.Reverse(questions));

        Assert.Equal(forward.Select(g => (g.Id, g.Wording, g.Count)), backward.Select(g => (g.Id, g.Wording, g.Count)));
        Assert.All(forward, g => Assert.Matches("^[0-9a-f]{16}$", g.Id));
        Assert.Equal(forward.Count, forward.Select(g => g.Id).Distinct().Count());
        Assert.Equal(UnansweredGrouper.GroupId(UnansweredGrouper.Key(forward[0].Wording)), forward[0].Id);
    }

    [Fact]
    public void Group_SuggestsTheSearchsBestCandidate_ForTheWording()
    {
        var groups = Grouper.Group(Asked([.. HousingFund, "宿舍停电了找谁"]), fixture.Search);

        Assert.All(groups, g =>
        {
            var candidates = fixture.Search.Search(g.Wording).Candidates;
            if (candidates.Count == 0)
            {
                Assert.Null(g.Suggestion);
                return;
            }

            Assert.NotNull(g.Suggestion);
            Assert.Equal(candidates[0].Entry.Id, g.Suggestion.Id);
            Assert.Equal(candidates[0].Entry.Question, g.Suggestion.Question);
            Assert.InRange(g.Suggestion.Confidence, 0, 1);
        });
        Assert.NotNull(groups[0].Suggestion);
    }

    [Fact]
    public void Group_LeavesOutQuestionsWithNoWords()
    {
        Assert.Empty(Grouper.Group(Asked("？？？", "   ", "😭")));
    }

    [Fact]
    public void Similarity_IsOne_ForTheSameQuestionInTraditionalCharacters()
    {
        Assert.Equal(1.0, Grouper.Similarity("工資沒發怎麼辦", "工资没发怎么办"), 6);
        Assert.True(Grouper.Similarity("公司不交公积金合法吗", "宿舍停电了找谁") < Grouper.Threshold);
    }
}
