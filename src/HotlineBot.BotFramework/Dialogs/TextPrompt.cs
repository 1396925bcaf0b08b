using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Schema;

namespace HotlineBot.BotFramework.Dialogs;

/// <summary>Asks for free text; any message with text is an answer (as Bot Builder's TextPrompt).</summary>
public class TextPrompt(string dialogId, PromptValidator<string>? validator = null) : Prompt<string>(dialogId, validator)
{
    protected override async Task OnPromptAsync(ITurnContext turnContext, IDictionary<string, object> state, PromptOptions options, bool isRetry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        if (ChoosePrompt(options, isRetry) is { } prompt)
        {
            await turnContext.SendActivityAsync(PromptActivity(prompt), cancellationToken).ConfigureAwait(false);
        }
    }

    protected override Task<PromptRecognizerResult<string>> OnRecognizeAsync(ITurnContext turnContext, IDictionary<string, object> state, PromptOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var activity = turnContext.Activity;
        var result = new PromptRecognizerResult<string>();
        if (activity.Type == ActivityTypes.Message && !string.IsNullOrWhiteSpace(activity.Text))
        {
            result.Succeeded = true;
            result.Value = activity.Text;
        }

        return Task.FromResult(result);
    }
}
