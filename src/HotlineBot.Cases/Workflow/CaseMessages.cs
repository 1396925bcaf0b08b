using System.Globalization;

namespace HotlineBot.Cases.Workflow;

/// <summary>What the follow-ups say, to workers (in their chat) and to operators (notifications).</summary>
public static class CaseMessages
{
    /// <summary>The survey's buttons, best last; a reply is the digit.</summary>
    public static IReadOnlyList<string> SurveyChoices { get; } = ["1", "2", "3", "4", "5"];

    public static string Survey(HotlineCase c) =>
        $"你好！你的工单 {c.Id} 已经处理完毕。想请你给这次服务打个分：\n" +
        "1 很不满意　2 不满意　3 一般　4 满意　5 很满意\n" +
        "直接回复数字就行。如果问题其实还没解决，打1或2，工作人员会重新跟进。";

    public static string Resolved(HotlineCase c) =>
        $"工作人员已处理完你的工单 {c.Id}。\n处理结果：{c.Resolution}\n" +
        "接下来你发的消息由智能助手先回答；还需要工作人员时，随时说“转人工”。";

    public static string AutoClosed(HotlineCase c, TimeSpan waited) =>
        $"你的工单 {c.Id} 等待你的回复已超过{Duration(waited)}，已先结案。" +
        "如果问题还没解决，随时发消息或说“转人工”，工作人员会重新跟进。";

    public static string OperatorLine(string text) => "【工作人员】" + text;

    public static string NewCase(HotlineCase c) =>
        $"新工单 {c.Id}（{PriorityLabel(c.Priority)}·{CaseStatuses.CategoryLabel(c.Category)}）：{Shorten(c.Description)}";

    public static string Reminder(HotlineCase c, DateTimeOffset localDue) =>
        $"工单 {c.Id}（{PriorityLabel(c.Priority)}）还没有人认领，首次响应时限 {localDue.ToString("M月d日 HH:mm", CultureInfo.InvariantCulture)}。";

    public static string Escalated(HotlineCase c, CasePriority from) =>
        c.Priority == from
            ? $"工单 {c.Id}（{PriorityLabel(c.Priority)}）已超过首次响应时限，仍无人认领，请管理员协调。"
            : $"工单 {c.Id} 超过首次响应时限无人认领，优先级由“{PriorityLabel(from)}”升为“{PriorityLabel(c.Priority)}”。";

    public static string CallbackDue(HotlineCase c) =>
        $"工单 {c.Id} 的职工希望{c.FollowUp.CallbackWindow}回电（{c.Worker.MaskedPhone}），请安排回电。";

    public static string WorkerWrote(HotlineCase c) => $"工单 {c.Id} 的职工发来新消息。";

    /// <summary>The history note of an attachment: 职工发来图片 (or 文件).</summary>
    public static string AttachmentNote(CaseAttachment attachment) => "职工发来" + AttachmentKind(attachment);

    public static string WorkerAttached(HotlineCase c, CaseAttachment attachment) => $"工单 {c.Id} 的职工发来{AttachmentKind(attachment)}。";

    public static string Reopened(HotlineCase c, string reason) => $"工单 {c.Id} 已重新打开：{reason}";

    public static string DeliveryFailed(HotlineCase c) => $"工单 {c.Id} 有一条消息多次发送失败，职工可能没收到，请查看并考虑回电。";

    public static string DeliveryUndeliverable(HotlineCase c) => $"工单 {c.Id} 有一条消息无法送达职工的聊天窗口，职工收不到，请查看原因并回电。";

    public static string PriorityLabel(CasePriority priority) => priority switch
    {
        CasePriority.Urgent => "紧急",
        CasePriority.High => "较急",
        _ => "一般",
    };

    private static string AttachmentKind(CaseAttachment attachment) => attachment.IsImage ? "图片" : "文件";

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static string Duration(TimeSpan span) =>
        span.TotalDays >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays}天")
        : span.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}小时")
        : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (int)span.TotalMinutes)}分钟");
}
