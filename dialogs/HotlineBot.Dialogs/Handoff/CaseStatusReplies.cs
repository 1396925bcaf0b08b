using System.Globalization;
using System.Text;
using HotlineBot.BotFramework.Schema;
using HotlineBot.Cases;
using HotlineBot.Dialogs.Replies;
using HotlineBot.Knowledge.Text;

namespace HotlineBot.Dialogs.Handoff;

/// <summary>"我的工单" / "进度": recognizing the request and the reply (kind <c>status</c>).</summary>
public static class CaseStatusReplies
{
    /// <summary>The most cases listed.</summary>
    public const int MaxListed = 5;

    private static readonly HashSet<string> Phrases = new(StringComparer.Ordinal)
    {
        "我的工单", "工单", "进度", "工单进度", "我的工单进度", "查进度", "查工单", "查询工单", "查询进度", "查工单进度", "查询工单进度",
        "工单状态", "我的工单状态", "处理进度", "处理到哪了", "工单到哪了", "我的进度", "看看进度", "看进度", "进度怎么样", "工单怎么样",
    };

    /// <summary>True when the whole message asks for the worker's cases.</summary>
    public static bool IsRequest(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var key = TextNormalizer.Normalize(text).Replace(" ", string.Empty, StringComparison.Ordinal).TrimEnd('吗', '呢', '啊', '呀', '了');
        return Phrases.Contains(key);
    }

    /// <summary>The worker-facing label of a status.</summary>
    public static string Label(CaseStatus status) => status switch
    {
        CaseStatus.New => "待受理",
        CaseStatus.Claimed => "处理中",
        CaseStatus.WaitingForWorker => "等你回复",
        CaseStatus.WaitingForOperator => "处理中（等工作人员回复）",
        CaseStatus.Resolved => "已解决",
        CaseStatus.Closed => "已关闭",
        _ => status.ToString(),
    };

    /// <summary>The worker's cases in this conversation, newest first, or that there are none.</summary>
    public static Activity Status(IReadOnlyList<CaseSummary> cases)
    {
        ArgumentNullException.ThrowIfNull(cases);
        if (cases.Count == 0)
        {
            return HotlineReplies.Create(new HotlineMetadata(ReplyKinds.Status),
                "你在这个对话里还没有工单。需要工作人员帮忙的话，可以说“转人工”。");
        }

        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"你在这个对话里有{cases.Count}个工单："));
        foreach (var c in cases.Take(MaxListed))
        {
            var opened = c.CreatedAt;
            text.Append('\n').Append(string.Create(CultureInfo.InvariantCulture,
                $"· {c.CaseId}：{Label(c.Status)}（{opened.Month}月{opened.Day}日提交）"));
        }

        if (cases.Count > MaxListed)
        {
            text.Append('\n').Append(string.Create(CultureInfo.InvariantCulture, $"另有{cases.Count - MaxListed}个较早的工单。"));
        }

        return HotlineReplies.Create(new HotlineMetadata(ReplyKinds.Status, CaseId: cases[0].CaseId), text.ToString());
    }
}
