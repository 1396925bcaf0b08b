using HotlineBot.BotFramework.Dialogs;

namespace HotlineBot.BotFramework.Tests.Dialogs;

/// <summary>What the report dialog ends with.</summary>
public sealed record Report(string Description, string Contact, int ContactIndex);

/// <summary>
/// A dialog shaped like the hotline's handoff: what happened (text), how to reach the worker
/// (choice), confirm (yes/no). Its steps read earlier answers from the waterfall's values, which
/// come back from storage between turns.
/// </summary>
public sealed class ReportDialog : ComponentDialog
{
    public const string AskWhatHappened = "请简单说说发生了什么？";
    public const string AskContact = "您希望我们怎么联系您？";
    public const string AskContactAgain = "请选择一种联系方式，或回复序号。";
    public const string AskConfirmAgain = "请回复“是”或“否”。";
    public const string Submitted = "已提交，工作人员会尽快联系您。";
    public const string NotSubmitted = "好的，没有提交。";

    public ReportDialog()
        : base(nameof(ReportDialog))
    {
        AddDialog(new WaterfallDialog("report", [WhatHappenedAsync, ContactAsync, ConfirmAsync, FinishAsync]));
        AddDialog(new TextPrompt("text"));
        AddDialog(new ChoicePrompt("contact"));
        AddDialog(new ConfirmPrompt("confirm"));
        InitialDialogId = "report";
    }

    public static IList<Choice> ContactChoices() =>
    [
        new Choice("电话回拨") { Synonyms = ["电话", "回电", "打电话"] },
        new Choice("在线留言") { Synonyms = ["留言"] },
    ];

    private static Task<DialogTurnResult> WhatHappenedAsync(WaterfallStepContext step, CancellationToken cancellationToken) =>
        step.PromptAsync("text", new PromptOptions { Prompt = Say.Message(AskWhatHappened) }, cancellationToken);

    private static Task<DialogTurnResult> ContactAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        step.Values["description"] = (string)step.Result!;
        return step.PromptAsync("contact", new PromptOptions
        {
            Prompt = Say.Message(AskContact),
            RetryPrompt = Say.Message(AskContactAgain),
            Choices = ContactChoices(),
        }, cancellationToken);
    }

    private static Task<DialogTurnResult> ConfirmAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var contact = (FoundChoice)step.Result!;
        step.Values["contact"] = contact;
        var description = step.Values.GetValue<string>("description");
        return step.PromptAsync("confirm", new PromptOptions
        {
            Prompt = Say.Message($"您说的是：{description}；联系方式：{contact.Value}。确认提交吗？"),
            RetryPrompt = Say.Message(AskConfirmAgain),
        }, cancellationToken);
    }

    private static async Task<DialogTurnResult> FinishAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        if (!(bool)step.Result!)
        {
            await step.Context.SendActivityAsync(NotSubmitted, cancellationToken);
            return await step.EndDialogAsync(null, cancellationToken);
        }

        var contact = step.Values.GetValue<FoundChoice>("contact")!;
        await step.Context.SendActivityAsync(Submitted, cancellationToken);
        return await step.EndDialogAsync(new Report(step.Values.GetValue<string>("description")!, contact.Value, contact.Index), cancellationToken);
    }
}
