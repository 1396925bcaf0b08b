using HotlineBot.BotFramework.Builder;

namespace HotlineBot.BotFramework.Dialogs;

/// <summary>
/// Asks a yes/no question, offering 是/否 (Yes/No for English locales) as suggested actions; the
/// answer is a bool (as Bot Builder's ConfirmPrompt). Understands colloquial Chinese and English:
/// 是/好/对/可以/行/嗯/yes/y and 否/不/不用/不要/算了/no/n, with their usual particles (好的, 不用了),
/// or the number of the button.
/// </summary>
public class ConfirmPrompt(string dialogId, PromptValidator<bool>? validator = null, string? defaultLocale = null)
    : Prompt<bool>(dialogId, validator)
{
    public ListStyle Style { get; set; } = ListStyle.Auto;

    public string? DefaultLocale { get; set; } = defaultLocale;

    /// <summary>The yes and no buttons; by default chosen by the locale.</summary>
    public Tuple<Choice, Choice>? ConfirmChoices { get; set; }

    public ChoiceFactoryOptions? ChoiceOptions { get; set; }

    protected override async Task OnPromptAsync(ITurnContext turnContext, IDictionary<string, object> state, PromptOptions options, bool isRetry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(options);
        var (yes, no) = Choices(turnContext);
        var activity = AppendChoices(ChoosePrompt(options, isRetry), turnContext.Activity.ChannelId, [yes, no], options.Style ?? Style, ChoiceOptions, cancellationToken);
        await turnContext.SendActivityAsync(activity, cancellationToken).ConfigureAwait(false);
    }

    protected override Task<PromptRecognizerResult<bool>> OnRecognizeAsync(ITurnContext turnContext, IDictionary<string, object> state, PromptOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var text = turnContext.Activity.Text;
        var result = new PromptRecognizerResult<bool>();
        if (ConfirmRecognizer.Recognize(text) is { } confirmed)
        {
            result.Succeeded = true;
            result.Value = confirmed;
        }
        else
        {
            // The buttons themselves (or their numbers), whatever they say.
            var (yes, no) = Choices(turnContext);
            if (ChoiceRecognizer.Recognize(text, [yes, no]) is { } found)
            {
                result.Succeeded = true;
                result.Value = found.Index == 0;
            }
        }

        return Task.FromResult(result);
    }

    private (Choice Yes, Choice No) Choices(ITurnContext turnContext)
    {
        if (ConfirmChoices is { } configured)
        {
            return (configured.Item1, configured.Item2);
        }

        var locale = turnContext.Activity.Locale ?? DefaultLocale ?? string.Empty;
        return locale.StartsWith("en", StringComparison.OrdinalIgnoreCase)
            ? (new Choice("Yes"), new Choice("No"))
            : (new Choice("是"), new Choice("否"));
    }
}
