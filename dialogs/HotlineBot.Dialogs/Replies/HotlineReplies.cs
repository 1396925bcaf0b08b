using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using HotlineBot.BotFramework.Dialogs;
using HotlineBot.BotFramework.Schema;
using HotlineBot.Dialogs.Conversation;
using HotlineBot.Dialogs.Emergency;
using HotlineBot.Knowledge.Entries;

namespace HotlineBot.Dialogs.Replies;

/// <summary>Why the bot offers a person instead of an answer.</summary>
public enum FallbackReason
{
    /// <summary>The knowledge base has no confident answer.</summary>
    NoAnswer,

    /// <summary>The worker pressed 没解决 on an answer.</summary>
    NotSolved,

    /// <summary>The message holds no words to read (only emoji or punctuation): maybe distress, so a person is offered.</summary>
    Unreadable,

    /// <summary>The worker pressed 都不是 on did-you-mean choices.</summary>
    NoneOfThese,

    /// <summary>The worker asked for a person (until the handoff dialog exists: points to 12351).</summary>
    PersonRequested,
}

/// <summary>
/// Builds the bot's message activities, each with <c>channelData.hotline</c>. User-facing text is
/// Simplified Chinese: short, the figure or the number first, then what to do. Thread-safe.
/// </summary>
public sealed partial class HotlineReplies
{
    /// <summary>The union's worker hotline, 24 hours.</summary>
    public const string HotlineNumber = "12351";

    public const string WelcomeText =
        "你好！我是工会职工服务热线的在线助手，24小时都在。\n" +
        "工资拖欠、劳动合同、加班休假、工伤、社保、辞职辞退和补偿、入会、法律援助，都可以直接问我，我会告诉你政策怎么规定、下一步怎么办。\n" +
        "我答不了的，可以找工作人员：拨打12351职工服务热线（24小时）。遇到危险请先拨打110、120、119。\n" +
        "你可以这样问：";

    public const string ClarifyText = "你想问的是哪一个？";

    /// <summary>The most did-you-mean choices offered.</summary>
    public const int MaxChoices = 3;

    private const string ClarifyOneText = "你想问的是这个吗？";
    private const string ClarifyRetryText = "没看明白你选的是哪一个。请点下面的一个问题，或回复序号（比如“1”）；都不是就点“都不是”，不想选了可以说“取消”。";
    private const string ClarifyRetryOneText = "没看明白。是这个问题的话请点它，或回复“1”；不是就点“都不是”，不想选了可以说“取消”。";

    /// <summary>How much of an earlier question a later answer quotes.</summary>
    private const int MaxQuotedQuestion = 40;
    private const string Markdown = "markdown";
    private const string Plain = "plain";

    private static readonly string ContactLine = $"也可以点“{PersonRequest.ButtonText}”，或直接拨打{HotlineNumber}职工服务热线（24小时）找工作人员。";

    private readonly IReadOnlyDictionary<string, string> _answerValues;

    /// <param name="answerValues">Values for answers' <c>{{name}}</c> placeholders (operatorHours ...), from the host's configuration.</param>
    public HotlineReplies(IReadOnlyDictionary<string, string>? answerValues = null)
    {
        _answerValues = answerValues ?? new Dictionary<string, string>();
    }

    /// <summary>The example questions the welcome offers as buttons; each is answered by the seed knowledge base.</summary>
    public static IReadOnlyList<string> ExampleQuestions { get; } =
    [
        "老板拖欠工资怎么办？",
        "加班费怎么算？",
        "没签劳动合同能要双倍工资吗？",
        "上班受伤了怎么申请工伤认定？",
    ];

    /// <summary>A message of any kind: the building block the other dialogs (handoff, status, survey ...) use too.</summary>
    public static Activity Create(HotlineMetadata metadata, string text, bool markdown = false)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(text);
        var activity = Activity.CreateMessageActivity(text);
        activity.TextFormat = markdown ? Markdown : Plain;
        activity.InputHint = InputHints.AcceptingInput;
        return activity.WithHotlineMetadata(metadata);
    }

    /// <summary>The welcome: who we are, what we do, and example questions to press.</summary>
    public static Activity Welcome()
    {
        var activity = Create(new HotlineMetadata(ReplyKinds.SmallTalk), WelcomeText);
        activity.SuggestedActions = new SuggestedActions { Actions = [.. ExampleQuestions.Select(q => CardAction.ImBack(q))] };
        return activity;
    }

    /// <summary>A small-talk reply (greetings, thanks, who are you) from seeds/smalltalk.yaml.</summary>
    public static Activity SmallTalk(string reply) => Create(new HotlineMetadata(ReplyKinds.SmallTalk), reply);

    /// <summary>The answer to 有帮助.</summary>
    public static Activity Thanks() => Create(new HotlineMetadata(ReplyKinds.SmallTalk), "不客气，能帮上忙就好！还有别的问题，随时问我。");

    /// <summary>
    /// An entry's answer as Markdown, placeholders filled, with a 依据 line from its sources when the
    /// answer has none, and 有帮助 / 没解决 buttons that name the entry.
    /// </summary>
    public Activity Answer(PolicyEntry entry, double confidence)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var text = AnswerText(entry);
        var activity = Create(new HotlineMetadata(ReplyKinds.Answer, entry.Id, Round(confidence)), text, markdown: true);
        activity.SuggestedActions = new SuggestedActions
        {
            Actions =
            [
                Feedback.Button(Feedback.HelpfulText, FeedbackKind.Helpful, entry.Id),
                Feedback.Button(Feedback.NotSolvedText, FeedbackKind.NotSolved, entry.Id),
            ],
        };
        return activity;
    }

    /// <summary>Did-you-mean: up to three entries' questions as buttons (each sends the question), plus 都不是.</summary>
    public static Activity Clarify(IReadOnlyList<PolicyEntry> choices, double confidence)
    {
        ArgumentNullException.ThrowIfNull(choices);
        return Clarify([.. choices.DistinctBy(e => e.Id).Select(e => e.Question)], confidence);
    }

    /// <summary>
    /// Did-you-mean over the candidates' questions: the prompt the clarify dialog asks with. The
    /// buttons are <see cref="ClarifyChoices"/>' (a choice prompt shows the same ones again).
    /// </summary>
    public static Activity Clarify(IReadOnlyList<string> questions, double confidence)
    {
        var choices = ClarifyChoices(questions);
        var activity = Create(new HotlineMetadata(ReplyKinds.Clarify, Confidence: Round(confidence)), choices.Count == 2 ? ClarifyOneText : ClarifyText);
        activity.InputHint = InputHints.ExpectingInput;
        activity.SuggestedActions = new SuggestedActions { Actions = [.. choices.Select(c => c.Action!)] };
        return activity;
    }

    /// <summary>Asked again when the answer to did-you-mean was none of the choices: how to pick, and how to get out.</summary>
    public static Activity ClarifyRetry(IReadOnlyList<string> questions, double confidence)
    {
        var choices = ClarifyChoices(questions);
        var text = choices.Count == 2 ? ClarifyRetryOneText : ClarifyRetryText;
        var activity = Create(new HotlineMetadata(ReplyKinds.Clarify, Confidence: Round(confidence)), text);
        activity.InputHint = InputHints.ExpectingInput;
        activity.SuggestedActions = new SuggestedActions { Actions = [.. choices.Select(c => c.Action!)] };
        return activity;
    }

    /// <summary>
    /// The did-you-mean choices: up to three distinct questions, each an imBack of itself, then
    /// 都不是 (the feedback button, with its other words as synonyms). A choice prompt recognizes
    /// each by its text, its number ("2", "第二个") or a synonym.
    /// </summary>
    public static IList<Choice> ClarifyChoices(IReadOnlyList<string> questions)
    {
        ArgumentNullException.ThrowIfNull(questions);
        var distinct = questions.Where(q => !string.IsNullOrWhiteSpace(q)).Distinct(StringComparer.Ordinal).Take(MaxChoices).ToList();
        if (distinct.Count == 0)
        {
            throw new ArgumentException("Clarify needs at least one choice.", nameof(questions));
        }

        return
        [
            .. distinct.Select(q => new Choice(q) { Action = CardAction.ImBack(q) }),
            new Choice(Feedback.NoneOfTheseText)
            {
                Action = Feedback.Button(Feedback.NoneOfTheseText, FeedbackKind.NoneOfThese, null),
                Synonyms = ["都不对", "不是这个", "都不是的", "都没有"],
            },
        ];
    }

    /// <summary>The answer to 取消 / 算了: what was going on is called off (or there was nothing to call off).</summary>
    public static Activity Cancelled(bool hadSomethingToCancel) => Create(
        new HotlineMetadata(ReplyKinds.SmallTalk),
        hadSomethingToCancel ? "好的，已取消。还有别的问题，直接问我就行。" : "好的。还有别的问题，直接问我就行。");

    /// <summary>
    /// Says plainly that the bot cannot help with this, suggests rephrasing, and offers a person and 12351;
    /// for a question the knowledge base did not answer, also 有答案时告诉我.
    /// </summary>
    public static Activity Fallback(FallbackReason reason, double? confidence = null)
    {
        var text = reason switch
        {
            FallbackReason.NotSolved =>
                "抱歉，没能解决你的问题。\n可以把情况说得再具体一些（在哪里干活、发生了什么、想要什么结果），我再帮你找找。\n" + ContactLine,
            FallbackReason.Unreadable =>
                "我在。能用文字说说遇到了什么事吗？比如“老板拖欠工资怎么办”。\n" + ContactLine,
            FallbackReason.NoneOfThese =>
                "好的，那可能是我没理解你的意思。\n请换个说法再问一次，说清楚是什么事，比如工资、合同、加班、工伤、社保。\n" + ContactLine,
            FallbackReason.PersonRequested =>
                $"现在还不能在这里直接转给工作人员，抱歉。\n请拨打{HotlineNumber}职工服务热线（24小时接听），工作人员会直接帮你。\n你也可以继续在这里问我政策问题。",
            _ =>
                "这个问题我暂时答不上来，抱歉。\n可以换个说法再问一次，说清楚是什么事，比如工资、合同、加班、工伤、社保。\n" + ContactLine,
        };
        var activity = Create(new HotlineMetadata(ReplyKinds.Fallback, Confidence: confidence is { } c ? Round(c) : null), text);
        activity.SuggestedActions = new SuggestedActions
        {
            Actions = reason switch
            {
                FallbackReason.PersonRequested => [Call(HotlineNumber, $"拨打{HotlineNumber}")],
                // A question the knowledge base did not answer may get an answer later: the worker may ask to hear of it.
                FallbackReason.NoAnswer or FallbackReason.NotSolved or FallbackReason.NoneOfThese =>
                    [CardAction.ImBack(PersonRequest.ButtonText), CardAction.ImBack(AnswerRequest.ButtonText), Call(HotlineNumber, $"拨打{HotlineNumber}")],
                _ => [CardAction.ImBack(PersonRequest.ButtonText), Call(HotlineNumber, $"拨打{HotlineNumber}")],
            },
        };
        return activity;
    }

    /// <summary>The answer to 有答案时告诉我: the question is noted, and a person is still there meanwhile.</summary>
    public static Activity AnswerRequested()
    {
        var activity = Create(
            new HotlineMetadata(ReplyKinds.SmallTalk),
            $"好的，记下了。这个问题有了答案，我会在这里发给你。\n着急的话可以点“{PersonRequest.ButtonText}”，或拨打{HotlineNumber}职工服务热线（24小时）。");
        activity.SuggestedActions = new SuggestedActions
        {
            Actions = [CardAction.ImBack(PersonRequest.ButtonText), Call(HotlineNumber, $"拨打{HotlineNumber}")],
        };
        return activity;
    }

    /// <summary>
    /// An entry's answer sent later to a worker who asked to hear of it: the <see cref="Answer"/> the bot
    /// gives today, led by one line naming the worker's earlier question.
    /// </summary>
    public Activity LaterAnswer(PolicyEntry entry, string question)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(question);
        var asked = question.Trim();
        if (asked.Length > MaxQuotedQuestion)
        {
            asked = asked[..MaxQuotedQuestion] + "…";
        }

        var activity = Answer(entry, 1);
        activity.Text = $"你之前问过“{asked}”，现在有答案了：\n\n{activity.Text}";
        return activity;
    }

    /// <summary>
    /// Danger: the numbers first (the leading category's call line, the others' also lines), one
    /// line of what to do now, then that the hotline follows up (with the urgent case's id when one opened).
    /// With <paramref name="offerCallback"/> and a case, a 请工作人员回电 button follows the numbers.
    /// </summary>
    public static Activity Emergency(EmergencyMatch match, string? caseId, bool offerCallback = false)
    {
        ArgumentNullException.ThrowIfNull(match);
        var text = new StringBuilder(match.Primary.Call);
        var given = new HashSet<string>(match.Primary.Numbers, StringComparer.Ordinal);
        foreach (var other in match.Categories.Skip(1))
        {
            // Another danger adds its line only when it calls for a number not given yet.
            if (other.Numbers.Any(n => !given.Contains(n)))
            {
                text.Append(other.Also);
                given.UnionWith(other.Numbers);
            }
        }

        text.Append('\n').Append(match.Primary.Now).Append('\n');
        text.Append(caseId is null
            ? $"等人安全了，可以回到这里或拨打{HotlineNumber}职工服务热线（24小时），热线会跟进帮你处理后面的事。"
            : $"已为你登记紧急工单（编号{caseId}），热线工作人员会尽快跟进。");
        var activity = Create(new HotlineMetadata(ReplyKinds.Emergency, CaseId: caseId), text.ToString());
        activity.SuggestedActions = new SuggestedActions { Actions = [.. match.Numbers.Select(n => Call(n, $"拨打{n}"))] };
        if (offerCallback && caseId is not null)
        {
            activity.SuggestedActions.Actions.Add(CardAction.ImBack(CallbackRequest.ButtonText));
        }

        return activity;
    }

    /// <summary>Asks for text when a message has none (empty, or only pictures, voice or files).</summary>
    public static Activity AskForText(bool hadAttachments)
    {
        var text = hadAttachments
            ? "图片、语音和文件我暂时看不了。请用文字说说你遇到的事，比如“老板拖欠工资怎么办”。"
            : "请用文字说说你遇到的事，比如“老板拖欠工资怎么办”。";
        var activity = Create(new HotlineMetadata(ReplyKinds.Prompt), text);
        activity.InputHint = InputHints.ExpectingInput;
        return activity;
    }

    /// <summary>The entry's answer text as sent: placeholders filled, and the 依据 line in its own paragraph.</summary>
    public string AnswerText(PolicyEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var answer = AnswerTemplate.Render(entry.Answer, _answerValues).Trim();
        if (SourceLinePattern().IsMatch(answer))
        {
            // In Markdown a line right after a list item continues it; the source gets its own paragraph.
            return SourceAfterLine().Replace(answer, "\n\n$1");
        }

        var sources = SourceLine(entry.Sources);
        return sources is null ? answer : answer + "\n\n" + sources;
    }

    /// <summary>依据：《title》article、article；《title2》article, with consecutive sources of one title grouped; null when there are none.</summary>
    public static string? SourceLine(IReadOnlyList<EntrySource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Count == 0)
        {
            return null;
        }

        var groups = new List<(string Title, List<string> Articles)>();
        foreach (var source in sources)
        {
            if (groups.Count == 0 || groups[^1].Title != source.Title)
            {
                groups.Add((source.Title, []));
            }

            if (!string.IsNullOrWhiteSpace(source.Article))
            {
                groups[^1].Articles.Add(source.Article);
            }
        }

        return "依据：" + string.Join("；", groups.Select(g => $"《{g.Title}》{string.Join("、", g.Articles)}"));
    }

    private static CardAction Call(string number, string title) => new()
    {
        Type = ActionTypes.Call,
        Title = title,
        Value = JsonSerializer.SerializeToElement("tel:" + number),
    };

    private static double Round(double confidence) => Math.Round(Math.Clamp(confidence, 0, 1), 3, MidpointRounding.AwayFromZero);

    [GeneratedRegex(@"(?<!\n)\n(依据[：:])")]
    private static partial Regex SourceAfterLine();

    [GeneratedRegex(@"(?m)^\s*依据[：:]")]
    private static partial Regex SourceLinePattern();

}
