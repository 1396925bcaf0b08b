using HotlineBot.BotFramework.Schema;

namespace HotlineBot.BotFramework.Dialogs;

/// <summary>What a prompt asks, asks again after a bad answer, and offers (as Bot Builder's PromptOptions).</summary>
public class PromptOptions
{
    public Activity? Prompt { get; set; }

    /// <summary>Sent when the answer was not recognized or not valid; without it the prompt is sent again.</summary>
    public Activity? RetryPrompt { get; set; }

    public IList<Choice>? Choices { get; set; }

    /// <summary>Overrides the prompt's own list style.</summary>
    public ListStyle? Style { get; set; }

    /// <summary>Anything the validator wants (a JSON element after a turn boundary).</summary>
    public object? Validations { get; set; }
}
