using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.State;

namespace HotlineBot.BotFramework.Dialogs;

public static class DialogExtensions
{
    /// <summary>
    /// Runs <paramref name="dialog"/> as the bot's root dialog for this turn: continues whatever is
    /// active on the stack kept in <paramref name="accessor"/>, or begins the dialog when nothing is.
    /// </summary>
    public static async Task<DialogTurnResult> RunAsync(this Dialog dialog, ITurnContext turnContext, IStatePropertyAccessor<DialogState> accessor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(accessor);
        var dialogSet = new DialogSet(accessor).Add(dialog);
        var dc = await dialogSet.CreateContextAsync(turnContext, cancellationToken).ConfigureAwait(false);
        var result = await dc.ContinueDialogAsync(cancellationToken).ConfigureAwait(false);
        return result.Status == DialogTurnStatus.Empty
            ? await dc.BeginDialogAsync(dialog.Id, null, cancellationToken).ConfigureAwait(false)
            : result;
    }

    /// <summary>A value from dialog state as <typeparamref name="T"/>, whether it is still typed or came back from storage as JSON.</summary>
    public static T? GetValue<T>(this IDictionary<string, object> state, string key)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.TryGetValue(key, out var value) ? StateJson.Convert<T>(value) : default;
    }
}
