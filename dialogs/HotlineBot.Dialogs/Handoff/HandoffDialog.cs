using HotlineBot.BotFramework.Dialogs;
using HotlineBot.BotFramework.Schema;
using HotlineBot.BotFramework.State;
using HotlineBot.Cases;
using HotlineBot.Dialogs.Replies;
using HotlineBot.Knowledge.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotlineBot.Dialogs.Handoff;

/// <summary>
/// Hands the worker to hotline staff: asks what happened (unless the trigger already says), a
/// callback number (mobile or landline, or 跳过), a preferred time window, confirms with the number
/// masked, then opens a case through <see cref="ICaseService"/> and tells the worker its number,
/// when to expect a person, and how their data is used. Every message it sends, retry prompts
/// included, has kind <c>handoff</c>; only the confirmation carries <c>caseId</c>.
/// Begun with <see cref="HandoffOptions"/>; ends with a <see cref="HandoffResult"/>.
/// With <see cref="HandoffOptions.ExistingCaseId"/> (a callback for the urgent case an emergency opened)
/// it skips what happened, ends politely when the number is skipped, and adds the number and window to
/// that case instead of opening one.
/// </summary>
public sealed class HandoffDialog : ComponentDialog
{
    public const string DefaultId = "handoff";

    public const string PrivacyNotice = "隐私说明：你留下的电话和情况只用于工会热线处理本工单，电话在各处都只显示部分号码。";

    private const string StepsId = "handoff.steps";
    private const string DescribeId = "handoff.describe";
    private const string PhoneId = "handoff.phone";
    private const string WindowId = "handoff.window";
    private const string ConfirmId = "handoff.confirm";

    private const string DescriptionKey = "description";
    private const string PhoneKey = "phone";
    private const string WindowKey = "window";

    /// <summary>Kept on the dialog's own instance, so the bot can tell a callback from a handoff (for 取消).</summary>
    private const string ExistingCaseKey = "existingCaseId";

    private const string SkipText = "跳过";
    private const string NotGiven = "（未说明）";

    private static readonly string[] WindowNames = ["工作日上午", "工作日下午", "随时", SkipText];

    /// <summary>Answers that skip a question (the phone, the window): whole messages only.</summary>
    private static readonly HashSet<string> SkipWords = new(StringComparer.Ordinal)
    {
        "跳过", "不用", "不用了", "不需要", "不需要了", "不要", "不留", "不留了", "不方便", "没有", "无", "略过", "skip",
    };

    private readonly ICaseService _cases;
    private readonly ILogger _logger;

    public HandoffDialog(ICaseService cases, ILogger? logger = null, string? dialogId = null)
        : base(dialogId ?? DefaultId)
    {
        _cases = cases ?? throw new ArgumentNullException(nameof(cases));
        _logger = logger ?? NullLogger.Instance;
        AddDialog(new WaterfallDialog(StepsId, [DescribeAsync, PhoneAsync, WindowAsync, ConfirmAsync, DoneAsync]));
        AddDialog(new TextPrompt(DescribeId, DescriptionValidatorAsync));
        AddDialog(new TextPrompt(PhoneId, PhoneValidatorAsync));
        AddDialog(new ChoicePrompt(WindowId) { Style = ListStyle.Auto });
        AddDialog(new ConfirmPrompt(ConfirmId) { Style = ListStyle.Auto });
    }

    /// <summary>True when the whole message skips a question (跳过, 不用, 不需要 ...).</summary>
    public static bool IsSkip(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var key = TextNormalizer.Normalize(text).Replace(" ", string.Empty, StringComparison.Ordinal).TrimEnd('吧', '啊', '呀', '了');
        return SkipWords.Contains(key) || SkipWords.Contains(key + "了");
    }

    /// <summary>The case a waiting callback dialog adds a number to; null for a handoff that opens a case.</summary>
    public static string? ExistingCaseIdOf(DialogInstance? instance) => instance?.State.GetValue<string>(ExistingCaseKey);

    public override async Task<DialogTurnResult> BeginDialogAsync(DialogContext dc, object? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        if (StateJson.Convert<HandoffOptions>(options)?.ExistingCaseId is { } existing && dc.ActiveDialog is { } instance)
        {
            instance.State[ExistingCaseKey] = existing;
        }

        return await base.BeginDialogAsync(dc, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A handoff message (kind handoff, no case id).</summary>
    public static Activity Message(string text, bool expectingInput = false)
    {
        var activity = HotlineReplies.Create(new HotlineMetadata(ReplyKinds.Handoff), text);
        if (expectingInput)
        {
            activity.InputHint = InputHints.ExpectingInput;
        }

        return activity;
    }

    /// <summary>
    /// The reply when the worker calls the handoff off (取消, or 否 at the confirmation); for a callback on an
    /// existing case (<paramref name="existingCaseId"/>), that the case goes on without one.
    /// </summary>
    public static Activity Cancelled(string? existingCaseId = null) => existingCaseId is null
        ? Message($"好的，不转人工了，没有登记工单。还有问题可以继续问我；需要时也可以随时说“转人工”，或拨打{HotlineReplies.HotlineNumber}职工服务热线（24小时）。")
        : Message($"好的，不登记回电了。紧急工单 {existingCaseId} 照常处理，工作人员会在这个对话里联系你；着急的话请直接拨打{HotlineReplies.HotlineNumber}职工服务热线（24小时）。");

    /// <summary>The summary the worker confirms: what happened, the number (masked) and the window.</summary>
    public static string Summary(string description, string? phone, string? window) =>
        "请确认转人工的信息：\n" +
        $"· 情况：{Shorten(description)}\n" +
        $"· 回电电话：{(phone is null ? "不留电话（工作人员会在这里回复你）" : PhoneNumbers.Mask(phone))}\n" +
        $"· 方便的时间：{window ?? "未选择"}\n" +
        "确认提交吗？";

    /// <summary>The summary the worker confirms for a callback on an existing case.</summary>
    public static string CallbackSummary(string caseId, string phone, string? window) =>
        "请确认回电信息：\n" +
        $"· 工单：{caseId}\n" +
        $"· 回电电话：{PhoneNumbers.Mask(phone)}\n" +
        $"· 方便的时间：{window ?? "随时"}\n" +
        "确认提交吗？";

    private static HandoffOptions OptionsOf(WaterfallStepContext step) => StateJson.Convert<HandoffOptions>(step.Options) ?? new HandoffOptions();

    private static async Task<DialogTurnResult> DescribeAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var options = OptionsOf(step);
        if (options.ExistingCaseId is not null)
        {
            // The emergency already said what happened, and the case holds it.
            return await step.NextAsync(null, cancellationToken).ConfigureAwait(false);
        }

        if (!string.IsNullOrWhiteSpace(options.Description))
        {
            return await step.NextAsync(options.Description, cancellationToken).ConfigureAwait(false);
        }

        return await step.PromptAsync(DescribeId, new PromptOptions
        {
            Prompt = Message("好的，我帮你转给工作人员。请先简单说说发生了什么事（比如在哪里干活、遇到了什么问题、想要什么结果）。", true),
            RetryPrompt = Message("请用文字简单说说遇到了什么事；不想说可以回复“跳过”，不转人工了可以说“取消”。", true),
        }, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<DialogTurnResult> PhoneAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var description = step.Result as string;
        step.Values[DescriptionKey] = string.IsNullOrWhiteSpace(description) || IsSkip(description) ? NotGiven : PersonalData.Mask(description.Trim());
        var ask = OptionsOf(step).ExistingCaseId is null
            ? "需要工作人员打电话给你吗？请留一个回电号码（手机或座机，座机请带区号）；不需要就回复“跳过”。"
            : "好的，请留一个回电号码（手机或座机，座机请带区号），工作人员会打给你；不留电话请回复“跳过”。";
        return await step.PromptAsync(PhoneId, new PromptOptions
        {
            Prompt = WithSkip(Message(ask, true)),
            RetryPrompt = WithSkip(Message("这个号码好像不对。请输入11位手机号（如13812345678）或带区号的座机（如010-12345678）；不留电话请回复“跳过”。", true)),
        }, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<DialogTurnResult> WindowAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var phone = step.Result as string;
        step.Values[PhoneKey] = IsSkip(phone) ? string.Empty : PhoneNumbers.Normalize(phone) ?? string.Empty;
        if (OptionsOf(step).ExistingCaseId is { } existing && IsSkip(phone))
        {
            // A callback without a number is no callback: nothing to record, nothing more to ask.
            await step.Context.SendActivityAsync(Cancelled(existing), cancellationToken).ConfigureAwait(false);
            return await step.EndDialogAsync(new HandoffResult(null), cancellationToken).ConfigureAwait(false);
        }

        return await step.PromptAsync(WindowId, new PromptOptions
        {
            Prompt = Message("什么时间联系你比较方便？（工作人员工作日上班时间处理）", true),
            RetryPrompt = Message("请点一个时间段，或回复序号；没有要求就点“随时”，不选就点“跳过”。", true),
            Choices = [.. WindowNames.Select(n => new Choice(n) { Synonyms = n == SkipText ? new List<string> { "不用", "不选" } : null })],
        }, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<DialogTurnResult> ConfirmAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var window = step.Result is FoundChoice found && found.Value != SkipText ? found.Value : string.Empty;
        step.Values[WindowKey] = window;
        var (description, phone, chosen) = Collected(step);
        var summary = OptionsOf(step).ExistingCaseId is { } existing && phone is not null
            ? CallbackSummary(existing, phone, chosen)
            : Summary(description, phone, chosen);
        return await step.PromptAsync(ConfirmId, new PromptOptions
        {
            Prompt = Message(summary, true),
            RetryPrompt = Message("请回复“是”提交，或“否”不提交。", true),
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DialogTurnResult> DoneAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var options = OptionsOf(step);
        if (step.Result is not true)
        {
            await step.Context.SendActivityAsync(Cancelled(options.ExistingCaseId), cancellationToken).ConfigureAwait(false);
            return await step.EndDialogAsync(new HandoffResult(null), cancellationToken).ConfigureAwait(false);
        }

        var (description, phone, window) = Collected(step);
        if (options.ExistingCaseId is { } existing && phone is not null)
        {
            return await SetCallbackAsync(step, existing, phone, window, cancellationToken).ConfigureAwait(false);
        }

        var category = GuessCategory(description);
        OpenedCase opened;
        try
        {
            opened = await _cases.OpenAsync(step.Context, new CaseRequest(description, phone, window, options.LastBotAnswer, CasePriority.Normal, category), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogError(e, "Opening a case for conversation {ConversationId} failed", step.Context.Activity.Conversation?.Id);
            await step.Context.SendActivityAsync(
                Message($"抱歉，系统刚才没能登记工单，请稍后再说一次“转人工”，着急的话请直接拨打{HotlineReplies.HotlineNumber}职工服务热线（24小时）。"),
                cancellationToken).ConfigureAwait(false);
            return await step.EndDialogAsync(new HandoffResult(null), cancellationToken).ConfigureAwait(false);
        }

        var text = $"已为你登记工单，编号 {opened.CaseId}。\n{opened.ExpectedResponse}" +
            (phone is null ? "，回复会发到这个对话里。" : $"，会打 {PhoneNumbers.Mask(phone)} 或在这个对话里回复你。") +
            $"\n查进度可以随时说“我的工单”。着急的话也可以拨打{HotlineReplies.HotlineNumber}职工服务热线（24小时）。\n" + PrivacyNotice;
        await step.Context.SendActivityAsync(HotlineReplies.Create(new HotlineMetadata(ReplyKinds.Handoff, CaseId: opened.CaseId), text), cancellationToken)
            .ConfigureAwait(false);
        var context = new HandoffContext(opened.CaseId, CasePriority.Normal, category, options.Trigger);
        return await step.EndDialogAsync(new HandoffResult(opened.CaseId, context), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds the number and window to the existing case and confirms it with that case's id.</summary>
    private async Task<DialogTurnResult> SetCallbackAsync(WaterfallStepContext step, string caseId, string phone, string? window, CancellationToken cancellationToken)
    {
        bool recorded;
        try
        {
            recorded = await _cases.SetCallbackAsync(caseId, phone, window, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogError(e, "Adding a callback to case {CaseId} failed", caseId);
            await step.Context.SendActivityAsync(
                Message($"抱歉，系统刚才没能登记回电号码。紧急工单 {caseId} 照常处理；着急的话请直接拨打{HotlineReplies.HotlineNumber}职工服务热线（24小时）。"),
                cancellationToken).ConfigureAwait(false);
            return await step.EndDialogAsync(new HandoffResult(null), cancellationToken).ConfigureAwait(false);
        }

        if (!recorded)
        {
            // The case closed meanwhile: say so rather than promise a call no one will make.
            await step.Context.SendActivityAsync(
                Message($"工单 {caseId} 已经结案，这次没有登记回电。还需要帮助请说“转人工”，或直接拨打{HotlineReplies.HotlineNumber}职工服务热线（24小时）。"),
                cancellationToken).ConfigureAwait(false);
            return await step.EndDialogAsync(new HandoffResult(null), cancellationToken).ConfigureAwait(false);
        }

        var text = $"已为紧急工单 {caseId} 登记回电：工作人员会尽快打 {PhoneNumbers.Mask(phone)} 联系你（方便的时间：{window ?? "随时"}）。\n" +
            $"着急的话请直接拨打{HotlineReplies.HotlineNumber}职工服务热线（24小时）。\n" + PrivacyNotice;
        await step.Context.SendActivityAsync(HotlineReplies.Create(new HotlineMetadata(ReplyKinds.Handoff, CaseId: caseId), text), cancellationToken)
            .ConfigureAwait(false);
        return await step.EndDialogAsync(new HandoffResult(caseId), cancellationToken).ConfigureAwait(false);
    }

    private static (string Description, string? Phone, string? Window) Collected(WaterfallStepContext step)
    {
        var description = StateJson.Convert<string>(step.Values.TryGetValue(DescriptionKey, out var d) ? d : null);
        var phone = StateJson.Convert<string>(step.Values.TryGetValue(PhoneKey, out var p) ? p : null);
        var window = StateJson.Convert<string>(step.Values.TryGetValue(WindowKey, out var w) ? w : null);
        return (
            string.IsNullOrWhiteSpace(description) ? NotGiven : description,
            string.IsNullOrEmpty(phone) ? null : phone,
            string.IsNullOrEmpty(window) ? null : window);
    }

    /// <summary>The category when it is obvious from the words; 咨询 otherwise.</summary>
    internal static CaseCategory GuessCategory(string description)
    {
        if (description.Contains("投诉", StringComparison.Ordinal))
        {
            return CaseCategory.Complaint;
        }

        if (description.Contains("法律援助", StringComparison.Ordinal) || description.Contains("律师", StringComparison.Ordinal))
        {
            return CaseCategory.LegalAid;
        }

        return description.Contains("建议", StringComparison.Ordinal) ? CaseCategory.Suggestion : CaseCategory.Consultation;
    }

    private static Activity WithSkip(Activity activity)
    {
        activity.SuggestedActions = new SuggestedActions { Actions = [CardAction.ImBack(SkipText)] };
        return activity;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 60), "…");

    private static Task<bool> DescriptionValidatorAsync(PromptValidatorContext<string> prompt, CancellationToken cancellationToken) =>
        Task.FromResult(prompt.Recognized.Succeeded && TextNormalizer.Normalize(prompt.Recognized.Value ?? string.Empty).Length > 0);

    private static Task<bool> PhoneValidatorAsync(PromptValidatorContext<string> prompt, CancellationToken cancellationToken)
    {
        var value = prompt.Recognized.Value;
        return Task.FromResult(prompt.Recognized.Succeeded && (IsSkip(value) || PhoneNumbers.IsValid(value)));
    }
}
