using HotlineBot.Dialogs.Replies;

namespace HotlineBot.Dialogs.Tests.Handoff;

/// <summary>Steps that put a conversation's case where a test needs it: through the bot as a worker, then the workflow as an operator.</summary>
internal static class CaseSteps
{
    public const string Operator = "张敏";

    /// <summary>The worker hands off (no number, any time) and confirms; returns the new case's id.</summary>
    public static async Task<string> OpenThroughTheBotAsync(BotHarness bot, string conversationId = "conv-1")
    {
        await bot.AskAsync("转人工", conversationId);
        await bot.AskAsync("老板拖欠了我三个月工资", conversationId);
        await bot.AskAsync("跳过", conversationId);
        await bot.AskAsync("随时", conversationId);
        var (_, meta) = await bot.AskOneAsync("是", conversationId);
        Assert.Equal(ReplyKinds.Handoff, meta.Kind);
        return meta.CaseId ?? throw new InvalidOperationException("the handoff opened no case");
    }

    /// <summary>An operator claims the case and asks the worker something: the case waits for the worker.</summary>
    public static async Task<string> HeldAndWaitingForWorkerAsync(BotHarness bot, SqliteCaseService cases)
    {
        var caseId = await OpenThroughTheBotAsync(bot);
        var token = TestContext.Current.CancellationToken;
        await cases.Workflow.ClaimAsync(caseId, Operator, asAdmin: false, token);
        await cases.Workflow.SendOperatorMessageAsync(caseId, Operator, "你好，请问是哪家公司拖欠的？", token);
        return caseId;
    }

    /// <summary>An operator claims and resolves the case, and the satisfaction question goes out.</summary>
    public static async Task<string> ResolvedAndSurveyedAsync(BotHarness bot, SqliteCaseService cases)
    {
        var caseId = await OpenThroughTheBotAsync(bot);
        var token = TestContext.Current.CancellationToken;
        await cases.Workflow.ClaimAsync(caseId, Operator, asAdmin: false, token);
        await cases.Workflow.ResolveAsync(caseId, Operator, "已联系公司，工资本周补发", asAdmin: false, token);
        await cases.SendSurveyAsync(caseId);
        return caseId;
    }
}
