using HotlineBot.Knowledge.Text;

namespace HotlineBot.Dialogs.Conversation;

/// <summary>
/// Recognizes a worker asking for a person (转人工, 找人工, 我想和人工客服聊 ...). Strict: a short
/// message holding a request phrase and none of the question words that make it a question about the
/// service ("人工客服几点上班" and "转人工后多久回复" go to the knowledge base, which answers them).
/// </summary>
public static class PersonRequest
{
    /// <summary>The button that asks for a person.</summary>
    public const string ButtonText = "转人工";

    /// <summary>Longer messages are stories or questions, not a request for a person.</summary>
    private const int MaxLength = 24;

    private static readonly string[] RequestPhrases =
    [
        "转人工", "找人工", "要人工", "接人工", "转接人工", "人工客服", "人工服务", "人工坐席", "人工回复", "找个人工", "来个人工",
        "转真人", "找真人", "真人客服", "要真人", "和真人", "跟真人", "找工作人员", "工作人员在线", "工作人员在吗", "有工作人员",
        "找客服", "转客服", "要客服", "在线客服", "安排人联系我", "安排人联系", "找人联系我", "让人联系我", "有人联系我", "派人联系我",
        "找个人跟我说", "找个人帮我", "不想跟机器", "不想和机器", "不要机器人", "不跟机器", "不和机器", "不想跟机器人",
        "工作人员联系我", "工作人员给我回电话", "工作人员给我打电话", "工作人员回电话", "给我回电话", "给我回个电话", "回个电话给我",
        "打电话给我", "给我打电话", "联系工作人员", "转工作人员", "叫工作人员", "叫人工", "人工在吗", "有人工吗", "有没有人工",
        "有没有真人", "换人工", "换真人", "人工帮我", "人工处理", "人工接待",
    ];

    /// <summary>Words that only make up the request itself, removed to see whether the message also says what happened.</summary>
    private static readonly string[] RequestFillers =
    [
        "我想", "我要", "想要", "想", "请", "帮我", "给我", "麻烦", "可以", "能不能", "能否", "有没有", "有没", "一下", "一个", "个",
        "和", "跟", "聊", "说", "谈", "在线", "在吗", "吗", "呢", "吧", "啊", "呀", "了", "我", "机器", "人",
    ];

    /// <summary>
    /// What happened, when the request says more than asking for a person ("老板欠薪三个月了，转人工"):
    /// the whole message; null for a bare request (转人工, 我想和人工客服聊).
    /// </summary>
    public static string? Description(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rest = TextNormalizer.Normalize(text).Replace(" ", string.Empty, StringComparison.Ordinal);
        foreach (var phrase in RequestPhrases.Concat(WholeMessages).OrderByDescending(p => p.Length).Concat(RequestFillers))
        {
            rest = rest.Replace(phrase, string.Empty, StringComparison.Ordinal);
        }

        var meaningful = rest.Count(char.IsLetterOrDigit);
        return meaningful >= 5 ? text.Trim() : null;
    }

    /// <summary>Whole messages that ask for a person although they hold no request phrase.</summary>
    private static readonly HashSet<string> WholeMessages = new(StringComparer.Ordinal)
    {
        "人工", "客服", "真人", "找人", "找个人", "要人", "工作人员", "有真人吗",
    };

    private static readonly string[] QuestionWords =
    [
        "几点", "什么时候", "什么时间", "时间", "多久", "多长", "流程", "怎么跟进", "跟进", "以后", "之后", "后多久", "工单",
        "上班", "下班", "晚上", "周末", "节假日", "半夜", "凌晨", "收费", "会不会", "回访", "处理", "如何", "值班", "时段",
    ];

    /// <summary>True when the message asks for a person rather than asking a question.</summary>
    public static bool IsRequest(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var key = TextNormalizer.Normalize(text).Replace(" ", string.Empty, StringComparison.Ordinal);
        if (WholeMessages.Contains(key.TrimEnd('啊', '呀', '吧', '呢')) || WholeMessages.Contains(key))
        {
            return true;
        }

        return key.Length is > 0 and <= MaxLength
            && Array.Exists(RequestPhrases, p => key.Contains(p, StringComparison.Ordinal))
            && !Array.Exists(QuestionWords, w => key.Contains(w, StringComparison.Ordinal));
    }
}
