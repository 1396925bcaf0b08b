using HotlineBot.BotFramework.Schema;
using HotlineBot.Dialogs.Replies;

namespace HotlineBot.Dialogs.Handoff;

/// <summary>What the bot says about a case a person is working on: the relay to its operator (kind <c>status</c>) and the satisfaction score (kind <c>survey</c>).</summary>
public static class LiveCaseReplies
{
    /// <summary>Said once per operator: from now on the worker's messages go to that person, and the bot keeps quiet.</summary>
    public static Activity Relaying(string caseId, string operatorName) => HotlineReplies.Create(
        new HotlineMetadata(ReplyKinds.Status, CaseId: caseId),
        $"工作人员（{operatorName}）正在处理你的工单 {caseId}，你发的消息会直接转给他/她，请稍候。");

    /// <summary>The message could not be handed to the operator: the worker must not think it arrived.</summary>
    public static Activity RelayFailed(string caseId) => HotlineReplies.Create(
        new HotlineMetadata(ReplyKinds.Status, CaseId: caseId),
        $"抱歉，刚才这条消息没能转给处理工单 {caseId} 的工作人员，请稍后再发一次；着急的话请拨打{HotlineReplies.HotlineNumber}职工服务热线（24小时）。");

    /// <summary>Pictures, voice and files do not reach the operator; only text is relayed.</summary>
    public static Activity TextOnly(string caseId) => HotlineReplies.Create(
        new HotlineMetadata(ReplyKinds.Status, CaseId: caseId),
        $"工作人员暂时看不到图片、语音和文件。请用文字把情况发过来，会直接转给处理工单 {caseId} 的工作人员。");

    /// <summary>The worker's picture (or file) is on the case: the operator will see it, and words are still welcome.</summary>
    public static Activity Attached(string caseId, bool images) => HotlineReplies.Create(
        new HotlineMetadata(ReplyKinds.Status, CaseId: caseId),
        $"收到，{(images ? "图片" : "文件")}已附到工单 {caseId}，工作人员处理时能看到。还有情况可以直接打字补充。");

    /// <summary>Thanks for the score; after a low one, that the case went back to staff and when a person will answer.</summary>
    public static Activity SurveyThanks(string caseId, SurveyOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var text = outcome.Reopened
            ? $"谢谢你的评价，很抱歉这次没能让你满意。工单 {caseId} 已重新交给工作人员处理，{outcome.ExpectedResponse ?? "工作人员会尽快联系你"}。\n" +
              $"着急的话也可以拨打{HotlineReplies.HotlineNumber}职工服务热线（24小时）。"
            : $"谢谢你的评价！工单 {caseId} 已结案。以后有问题随时问我，需要工作人员时说“转人工”，或拨打{HotlineReplies.HotlineNumber}职工服务热线（24小时）。";
        return HotlineReplies.Create(new HotlineMetadata(ReplyKinds.Survey, CaseId: caseId), text);
    }

    /// <summary>The score could not be recorded: the worker is told, so the answer is not silently lost.</summary>
    public static Activity SurveyFailed(string caseId) => HotlineReplies.Create(
        new HotlineMetadata(ReplyKinds.Survey, CaseId: caseId),
        "抱歉，评分暂时没能记下，请稍后再回复一次数字（1–5）。");
}
