using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Dialogs;
using HotlineBot.BotFramework.State;
using HotlineBot.Dialogs.Replies;

namespace HotlineBot.Dialogs.Clarify;

/// <summary>
/// Did-you-mean as a dialog: asks which of the candidates' questions the worker meant (a
/// <see cref="ClarifyPrompt"/> whose prompt and retry prompt are <see cref="HotlineReplies"/>'
/// clarify messages, so both carry <c>channelData.hotline</c> kind clarify), and ends with a
/// <see cref="ClarifyResult"/>. Answering is the bot's part: the dialog only finds out what was meant.
/// Begun with <see cref="ClarifyOptions"/>; everything it keeps is in the dialog stack, so it
/// continues after a restart.
/// </summary>
public sealed class ClarifyDialog : ComponentDialog
{
    public const string DefaultId = "clarify";

    /// <summary>The component's own copy of its options, so an answer can be checked before the dialog continues.</summary>
    private const string OptionsKey = "clarify";
    private const string StepsId = "clarify.steps";
    private const string PromptId = "clarify.choice";

    private readonly ClarifyPrompt _prompt = new(PromptId);

    public ClarifyDialog(string? dialogId = null)
        : base(dialogId ?? DefaultId)
    {
        AddDialog(new WaterfallDialog(StepsId, [AskAsync, ChosenAsync]));
        AddDialog(_prompt);
    }

    public override Task<DialogTurnResult> BeginDialogAsync(DialogContext dc, object? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        var clarify = ToOptions(options);
        var instance = dc.ActiveDialog ?? throw new InvalidOperationException("The clarify dialog is not on the dialog stack.");
        instance.State[OptionsKey] = clarify;
        return base.BeginDialogAsync(dc, clarify, cancellationToken);
    }

    /// <summary>
    /// True when the turn's message picks one of the choices (or 都不是) of the clarify dialog in
    /// <paramref name="instance"/>, recognized exactly as the prompt will when the dialog continues.
    /// </summary>
    public async Task<bool> IsChoiceAsync(ITurnContext turnContext, DialogInstance instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(instance);
        if (instance.Id != Id || instance.State.GetValue<ClarifyOptions>(OptionsKey) is not { Candidates.Count: > 0 } options)
        {
            return false;
        }

        var recognized = await _prompt.RecognizeAsync(turnContext, PromptOptionsFor(options), cancellationToken).ConfigureAwait(false);
        return recognized.Succeeded;
    }

    /// <summary>The prompt, retry prompt and choices for the candidates.</summary>
    public static PromptOptions PromptOptionsFor(ClarifyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var questions = options.Candidates.Select(c => c.Question).ToList();
        return new PromptOptions
        {
            Prompt = HotlineReplies.Clarify(questions, options.Confidence),
            RetryPrompt = HotlineReplies.ClarifyRetry(questions, options.Confidence),
            Choices = HotlineReplies.ClarifyChoices(questions),
        };
    }

    private static Task<DialogTurnResult> AskAsync(WaterfallStepContext step, CancellationToken cancellationToken) =>
        step.PromptAsync(PromptId, PromptOptionsFor(ToOptions(step.Options)), cancellationToken);

    private static Task<DialogTurnResult> ChosenAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var candidates = ToOptions(step.Options).Candidates;
        var result = step.Result switch
        {
            FoundChoice found when found.Index >= 0 && found.Index < candidates.Count => new ClarifyResult(ClarifyOutcome.Chosen, candidates[found.Index]),
            FoundChoice => new ClarifyResult(ClarifyOutcome.NoneOfThese),
            _ => new ClarifyResult(ClarifyOutcome.GaveUp),
        };
        return step.EndDialogAsync(result, cancellationToken);
    }

    private static ClarifyOptions ToOptions(object? options) =>
        StateJson.Convert<ClarifyOptions>(options) is { Candidates.Count: > 0 } clarify
            ? clarify
            : throw new ArgumentException($"The clarify dialog needs {nameof(ClarifyOptions)} with at least one candidate.", nameof(options));
}
