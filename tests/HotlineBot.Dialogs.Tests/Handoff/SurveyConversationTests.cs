using HotlineBot.Cases;
using HotlineBot.Dialogs.Replies;

namespace HotlineBot.Dialogs.Tests.Handoff;

public sealed class SurveyConversationTests(SeedsFixture fixture) : IDisposable
{
    private readonly SqliteCaseService _cases = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _cases.Dispose();

    private BotHarness NewBot() => new(fixture, urgentCases: _cases, cases: _cases);

    [Theory]
    [InlineData("5", 5)]
    [InlineData("五星", 5)]
    [InlineData("满意", 4)]
    [InlineData("一般", 3)]
    public async Task GoodScore_ClosesTheCase_AndThanksTheWorker(string answer, int score)
    {
        var bot = NewBot();
        var caseId = await CaseSteps.ResolvedAndSurveyedAsync(bot, _cases);

        var (reply, meta) = await bot.AskOneAsync(answer);

        Assert.Equal(ReplyKinds.Survey, meta.Kind);
        Assert.Equal(caseId, meta.CaseId);
        Assert.Contains("谢谢", reply.Text);
        Assert.DoesNotContain("重新", reply.Text);
        var stored = await _cases.Store.GetAsync(caseId, Token);
        Assert.Equal(CaseStatus.Closed, stored!.Status);
        Assert.Equal(score, stored.FollowUp.SurveyScore);
    }

    [Fact]
    public async Task LowScore_ReopensTheCase_AndSaysWhenAPersonWillAnswer()
    {
        var bot = NewBot();
        var caseId = await CaseSteps.ResolvedAndSurveyedAsync(bot, _cases);

        var (reply, meta) = await bot.AskOneAsync("2");

        Assert.Equal(ReplyKinds.Survey, meta.Kind);
        Assert.Equal(caseId, meta.CaseId);
        Assert.Contains("重新交给工作人员", reply.Text);
        Assert.Contains("工作人员会在", reply.Text);
        var stored = await _cases.Store.GetAsync(caseId, Token);
        Assert.Equal(CaseStatus.WaitingForOperator, stored!.Status);
        Assert.Contains(_cases.Notifier.Notifications, n => n.CaseId == caseId && n.Kind == "reopened");
    }

    [Fact]
    public async Task NumberAnsweringAWaitingQuestion_IsNotTakenAsAScore()
    {
        var bot = NewBot();
        var caseId = await CaseSteps.ResolvedAndSurveyedAsync(bot, _cases);
        await bot.AskAsync("转人工");
        await bot.AskAsync("还是没发工资");
        await bot.AskAsync("跳过");

        // The handoff asks for a time window; "2" picks the second window, it is no satisfaction score.
        var (_, meta) = await bot.AskOneAsync("2");

        Assert.Equal(ReplyKinds.Handoff, meta.Kind);
        var stored = await _cases.Store.GetAsync(caseId, Token);
        Assert.Equal(CaseStatus.Resolved, stored!.Status);
        Assert.Null(stored.FollowUp.SurveyScore);
    }

    [Fact]
    public async Task NonScore_IsAnOrdinaryMessage_AndTheSurveyStaysOpen()
    {
        var bot = NewBot();
        var caseId = await CaseSteps.ResolvedAndSurveyedAsync(bot, _cases);

        var (_, meta) = await bot.AskOneAsync("加班费怎么算？");

        Assert.Equal(ReplyKinds.Answer, meta.Kind);
        var stored = await _cases.Store.GetAsync(caseId, Token);
        Assert.Equal(CaseStatus.Resolved, stored!.Status);
        Assert.Null(stored.FollowUp.SurveyScore);
        var (_, later) = await bot.AskOneAsync("4分");
        Assert.Equal(ReplyKinds.Survey, later.Kind);
    }

    [Fact]
    public async Task SecondScore_IsNotTakenAsARating()
    {
        var bot = NewBot();
        var caseId = await CaseSteps.ResolvedAndSurveyedAsync(bot, _cases);
        await bot.AskOneAsync("5");

        var (_, meta) = await bot.AskOneAsync("1");

        Assert.NotEqual(ReplyKinds.Survey, meta.Kind);
        var stored = await _cases.Store.GetAsync(caseId, Token);
        Assert.Equal(CaseStatus.Closed, stored!.Status);
        Assert.Equal(5, stored.FollowUp.SurveyScore);
        Assert.Single(stored.History, e => e.Action == "survey");
    }

    [Fact]
    public async Task Score_WithNoSurveyWaiting_IsAnOrdinaryMessage()
    {
        var bot = NewBot();
        await CaseSteps.OpenThroughTheBotAsync(bot);

        var (_, meta) = await bot.AskOneAsync("5");

        Assert.NotEqual(ReplyKinds.Survey, meta.Kind);
    }
}
