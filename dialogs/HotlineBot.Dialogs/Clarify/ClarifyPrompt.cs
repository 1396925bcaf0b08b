using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Dialogs;
using HotlineBot.Dialogs.Conversation;
using HotlineBot.Knowledge.Text;

namespace HotlineBot.Dialogs.Clarify;

/// <summary>
/// The did-you-mean choice prompt. Beyond a <see cref="ChoicePrompt"/>'s button text, number ("2",
/// "第二个") and synonyms, it takes a question typed the way the knowledge base reads text
/// (traditional characters, spaces, other punctuation), 都不是 in any of its words ("都不是啊"), and
/// for a single question a plain yes (是, 对, 就是这个) or no (不是). After <see cref="MaxRetries"/>
/// retries it stops asking: the prompt ends with no choice and the message is handled as a new one,
/// so a worker who keeps asking something else is never stuck in the prompt.
/// </summary>
public sealed class ClarifyPrompt(string dialogId) : ChoicePrompt(dialogId, GiveUpAfterRetriesAsync)
{
    /// <summary>How many times a wrong answer is asked again before the prompt gives up.</summary>
    public const int MaxRetries = 2;

    private static readonly HashSet<string> Yes = new(StringComparer.Ordinal)
    {
        "是", "是的", "对", "对的", "对对", "嗯", "嗯嗯", "恩", "好", "好的", "是这个", "就是这个", "就这个", "这个", "对就是这个", "要",
    };

    private static readonly HashSet<string> No = new(StringComparer.Ordinal) { "不是", "不对", "不是的", "不" };

    /// <summary>The choice the turn's message picks, recognized exactly as the prompt will when it continues.</summary>
    public Task<PromptRecognizerResult<FoundChoice>> RecognizeAsync(ITurnContext turnContext, PromptOptions options, CancellationToken cancellationToken = default) =>
        OnRecognizeAsync(turnContext, new Dictionary<string, object>(StringComparer.Ordinal), options, cancellationToken);

    protected override async Task<PromptRecognizerResult<FoundChoice>> OnRecognizeAsync(ITurnContext turnContext, IDictionary<string, object> state, PromptOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(options);
        var result = await base.OnRecognizeAsync(turnContext, state, options, cancellationToken).ConfigureAwait(false);
        if (result.Succeeded)
        {
            return result;
        }

        var text = turnContext.Activity.Text ?? string.Empty;
        var choices = options.Choices ?? [];
        var key = Key(text);
        if (key.Length == 0 || choices.Count == 0)
        {
            return result;
        }

        var noneIndex = IndexOf(choices, Feedback.NoneOfTheseText);
        for (var i = 0; i < choices.Count; i++)
        {
            if (i != noneIndex && Key(choices[i].Value) == key)
            {
                return Found(choices, i, text);
            }
        }

        if (noneIndex >= 0 && Feedback.Recognize(text) == FeedbackKind.NoneOfThese)
        {
            return Found(choices, noneIndex, text);
        }

        // "你想问的是这个吗？" is a yes/no question.
        var questions = noneIndex >= 0 ? choices.Count - 1 : choices.Count;
        if (questions == 1)
        {
            if (Yes.Contains(key))
            {
                return Found(choices, noneIndex == 0 ? 1 : 0, text);
            }

            if (noneIndex >= 0 && No.Contains(key))
            {
                return Found(choices, noneIndex, text);
            }
        }

        return result;
    }

    private static Task<bool> GiveUpAfterRetriesAsync(PromptValidatorContext<FoundChoice> promptContext, CancellationToken cancellationToken)
    {
        if (promptContext.Recognized.Succeeded)
        {
            return Task.FromResult(true);
        }

        if (promptContext.AttemptCount > MaxRetries)
        {
            // Asked again twice and still something else: end the prompt without a choice.
            promptContext.Recognized.Value = null;
            return Task.FromResult(true);
        }

        return Task.FromResult(false);
    }

    private static PromptRecognizerResult<FoundChoice> Found(IList<Choice> choices, int index, string text) => new()
    {
        Succeeded = true,
        Value = new FoundChoice { Value = choices[index].Value, Index = index, Score = 1f, Synonym = text.Trim() },
    };

    private static int IndexOf(IList<Choice> choices, string value)
    {
        for (var i = 0; i < choices.Count; i++)
        {
            if (choices[i].Value == value)
            {
                return i;
            }
        }

        return -1;
    }

    private static string Key(string text) => TextNormalizer.Normalize(text).Replace(" ", string.Empty, StringComparison.Ordinal);
}
