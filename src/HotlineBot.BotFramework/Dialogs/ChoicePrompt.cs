using HotlineBot.BotFramework.Builder;

namespace HotlineBot.BotFramework.Dialogs;

/// <summary>
/// Asks the user to pick one of <see cref="PromptOptions.Choices"/>, shown as suggested actions by
/// default; the answer is a <see cref="FoundChoice"/> (as Bot Builder's ChoicePrompt). The user may
/// send a choice's value, its button title, a synonym, or its number ("2", "２", "第二个").
/// </summary>
public class ChoicePrompt(string dialogId, PromptValidator<FoundChoice>? validator = null, string? defaultLocale = null)
    : Prompt<FoundChoice>(dialogId, validator)
{
    public ListStyle Style { get; set; } = ListStyle.Auto;

    public string? DefaultLocale { get; set; } = defaultLocale;

    public ChoiceFactoryOptions? ChoiceOptions { get; set; }

    protected override async Task OnPromptAsync(ITurnContext turnContext, IDictionary<string, object> state, PromptOptions options, bool isRetry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(options);
        var activity = AppendChoices(ChoosePrompt(options, isRetry), turnContext.Activity.ChannelId, options.Choices ?? [], options.Style ?? Style, ChoiceOptions, cancellationToken);
        await turnContext.SendActivityAsync(activity, cancellationToken).ConfigureAwait(false);
    }

    protected override Task<PromptRecognizerResult<FoundChoice>> OnRecognizeAsync(ITurnContext turnContext, IDictionary<string, object> state, PromptOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(options);
        var found = ChoiceRecognizer.Recognize(turnContext.Activity.Text, options.Choices ?? []);
        return Task.FromResult(new PromptRecognizerResult<FoundChoice> { Succeeded = found is not null, Value = found });
    }
}
