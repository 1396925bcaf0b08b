using System.Text.Json;
using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Schema;
using HotlineBot.BotFramework.State;

namespace HotlineBot.BotFramework.Dialogs;

/// <summary>Decides whether a recognized answer is acceptable; may send its own message to explain why not.</summary>
public delegate Task<bool> PromptValidator<T>(PromptValidatorContext<T> promptContext, CancellationToken cancellationToken);

/// <summary>Whether the user's answer was understood, and as what.</summary>
public class PromptRecognizerResult<T>
{
    public bool Succeeded { get; set; }

    public T? Value { get; set; }
}

/// <summary>What a validator sees (as Bot Builder's PromptValidatorContext).</summary>
public class PromptValidatorContext<T>
{
    public PromptValidatorContext(ITurnContext turnContext, PromptRecognizerResult<T> recognized, IDictionary<string, object> state, PromptOptions options)
    {
        Context = turnContext;
        Recognized = recognized;
        State = state;
        Options = options;
    }

    public ITurnContext Context { get; }

    public PromptRecognizerResult<T> Recognized { get; }

    /// <summary>The prompt's own state, kept between turns.</summary>
    public IDictionary<string, object> State { get; }

    public PromptOptions Options { get; }

    /// <summary>How many answers the user has given to this prompt, this one included.</summary>
    public int AttemptCount => State.GetValue<int>(Prompt<T>.AttemptCountKey);
}

/// <summary>
/// A dialog that asks one question and ends with the recognized answer; a bad answer gets the
/// retry prompt (as Bot Builder's Prompt&lt;T&gt;). Its options and attempt count are kept in
/// the dialog instance, so the prompt survives a restart between turns.
/// </summary>
public abstract class Prompt<T> : Dialog
{
    public const string AttemptCountKey = "AttemptCount";

    private const string PersistedOptions = "options";
    private const string PersistedState = "state";

    private readonly PromptValidator<T>? _validator;

    protected Prompt(string dialogId, PromptValidator<T>? validator = null)
        : base(dialogId) => _validator = validator;

    public override async Task<DialogTurnResult> BeginDialogAsync(DialogContext dc, object? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        var promptOptions = options switch
        {
            null => new PromptOptions(),
            PromptOptions typed => typed,
            JsonElement json => StateJson.Convert<PromptOptions>(json) ?? new PromptOptions(),
            _ => throw new ArgumentException($"Prompt options must be {nameof(PromptOptions)}.", nameof(options)),
        };

        var instance = dc.ActiveDialog ?? throw new InvalidOperationException("The prompt is not on the dialog stack.");
        var state = new Dictionary<string, object>(StringComparer.Ordinal) { [AttemptCountKey] = 0 };
        instance.State[PersistedOptions] = promptOptions;
        instance.State[PersistedState] = state;
        await OnPromptAsync(dc.Context, state, promptOptions, false, cancellationToken).ConfigureAwait(false);
        return EndOfTurn;
    }

    public override async Task<DialogTurnResult> ContinueDialogAsync(DialogContext dc, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        if (dc.Context.Activity.Type != ActivityTypes.Message)
        {
            return EndOfTurn;
        }

        var instance = dc.ActiveDialog ?? throw new InvalidOperationException("The prompt is not on the dialog stack.");
        var (state, options) = Persisted(instance);
        var recognized = await OnRecognizeAsync(dc.Context, state, options, cancellationToken).ConfigureAwait(false);
        state[AttemptCountKey] = state.GetValue<int>(AttemptCountKey) + 1;

        var isValid = _validator is null
            ? recognized.Succeeded
            : await _validator(new PromptValidatorContext<T>(dc.Context, recognized, state, options), cancellationToken).ConfigureAwait(false);
        if (isValid)
        {
            return await dc.EndDialogAsync(recognized.Value, cancellationToken).ConfigureAwait(false);
        }

        // A validator that explained the problem itself has answered the turn already.
        if (!dc.Context.Responded)
        {
            await OnPromptAsync(dc.Context, state, options, true, cancellationToken).ConfigureAwait(false);
        }

        return EndOfTurn;
    }

    public override async Task<DialogTurnResult> ResumeDialogAsync(DialogContext dc, DialogReason reason, object? result = null, CancellationToken cancellationToken = default)
    {
        // A dialog pushed on top of the prompt has ended: ask the question again.
        ArgumentNullException.ThrowIfNull(dc);
        await RepromptDialogAsync(dc.Context, dc.ActiveDialog!, cancellationToken).ConfigureAwait(false);
        return EndOfTurn;
    }

    public override Task RepromptDialogAsync(ITurnContext turnContext, DialogInstance instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var (state, options) = Persisted(instance);
        return OnPromptAsync(turnContext, state, options, false, cancellationToken);
    }

    /// <summary>Sends the prompt, or the retry prompt when <paramref name="isRetry"/>.</summary>
    protected abstract Task OnPromptAsync(ITurnContext turnContext, IDictionary<string, object> state, PromptOptions options, bool isRetry, CancellationToken cancellationToken = default);

    /// <summary>Understands the turn's activity as an answer.</summary>
    protected abstract Task<PromptRecognizerResult<T>> OnRecognizeAsync(ITurnContext turnContext, IDictionary<string, object> state, PromptOptions options, CancellationToken cancellationToken = default);

    /// <summary>The prompt (or retry prompt) to send, with the choices shown in <paramref name="style"/>.</summary>
    protected virtual Activity AppendChoices(Activity? prompt, string? channelId, IList<Choice> choices, ListStyle style, ChoiceFactoryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(choices);
        var activity = PromptActivity(prompt);
        var text = activity.Text;
        switch (style)
        {
            case ListStyle.None:
                break;
            case ListStyle.Inline:
                activity.Text = ChoiceFactory.Inline(choices, text, null, options).Text;
                break;
            case ListStyle.List:
                activity.Text = ChoiceFactory.List(choices, text, null, options).Text;
                break;
            case ListStyle.HeroCard:
                activity.Text = null;
                activity.Attachments = [.. activity.Attachments ?? [], .. ChoiceFactory.HeroCard(choices, text).Attachments ?? []];
                break;
            case ListStyle.Auto:
            case ListStyle.SuggestedAction:
            default:
                activity.SuggestedActions = ChoiceFactory.SuggestedAction(choices, text).SuggestedActions;
                break;
        }

        return activity;
    }

    /// <summary>
    /// A copy of the prompt to send: the turn fills in addresses on what it sends, and the stored
    /// options must stay as they were given.
    /// </summary>
    protected static Activity PromptActivity(Activity? prompt)
    {
        var activity = prompt is null
            ? Activity.CreateMessageActivity()
            : JsonSerializer.Deserialize<Activity>(JsonSerializer.SerializeToUtf8Bytes(prompt, ProtocolJson.Options), ProtocolJson.Options)!;
        activity.Type ??= ActivityTypes.Message;
        activity.InputHint ??= InputHints.ExpectingInput;
        return activity;
    }

    /// <summary>The prompt or retry prompt for this attempt; the retry falls back to the prompt.</summary>
    protected static Activity? ChoosePrompt(PromptOptions options, bool isRetry)
    {
        ArgumentNullException.ThrowIfNull(options);
        return isRetry && options.RetryPrompt is not null ? options.RetryPrompt : options.Prompt;
    }

    private static (IDictionary<string, object> State, PromptOptions Options) Persisted(DialogInstance instance)
    {
        // Both come back from storage as JSON: keep them typed in the instance for the rest of the turn.
        var state = instance.State.GetValue<Dictionary<string, object>>(PersistedState) ?? new Dictionary<string, object>(StringComparer.Ordinal);
        var options = instance.State.GetValue<PromptOptions>(PersistedOptions) ?? new PromptOptions();
        instance.State[PersistedState] = state;
        instance.State[PersistedOptions] = options;
        return (state, options);
    }
}
