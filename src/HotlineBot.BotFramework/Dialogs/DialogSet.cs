using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.State;

namespace HotlineBot.BotFramework.Dialogs;

/// <summary>The dialogs a bot (or a component dialog) can start, by id.</summary>
public class DialogSet
{
    private readonly IStatePropertyAccessor<DialogState>? _dialogState;
    private readonly Dictionary<string, Dialog> _dialogs = new(StringComparer.Ordinal);

    /// <summary>A set whose dialog stack lives in the given state property.</summary>
    public DialogSet(IStatePropertyAccessor<DialogState> dialogState) =>
        _dialogState = dialogState ?? throw new ArgumentNullException(nameof(dialogState));

    /// <summary>A set inside a component dialog, whose stack lives in the component's own state.</summary>
    public DialogSet()
    {
    }

    public DialogSet Add(Dialog dialog)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        if (_dialogs.TryGetValue(dialog.Id, out var existing))
        {
            return ReferenceEquals(existing, dialog)
                ? this
                : throw new ArgumentException($"Another dialog with the id '{dialog.Id}' is already in the set.", nameof(dialog));
        }

        _dialogs[dialog.Id] = dialog;
        return this;
    }

    public Dialog? Find(string dialogId)
    {
        ArgumentNullException.ThrowIfNull(dialogId);
        return _dialogs.GetValueOrDefault(dialogId);
    }

    public IEnumerable<Dialog> GetDialogs() => _dialogs.Values;

    /// <summary>A context over the conversation's dialog stack, loaded from state.</summary>
    public async Task<DialogContext> CreateContextAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        if (_dialogState is null)
        {
            throw new InvalidOperationException("This DialogSet has no state property: create it with an IStatePropertyAccessor<DialogState>.");
        }

        var state = await _dialogState.GetAsync(turnContext, () => new DialogState(), cancellationToken).ConfigureAwait(false)
            ?? new DialogState();
        return new DialogContext(this, turnContext, state);
    }
}
