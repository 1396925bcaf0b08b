namespace HotlineBot.BotFramework.Dialogs;

/// <summary>The dialog stack of a conversation, kept in conversation state between turns.</summary>
public class DialogState
{
    public DialogState()
        : this(null)
    {
    }

    public DialogState(List<DialogInstance>? stack) => DialogStack = stack ?? [];

    /// <summary>The active dialog first.</summary>
    public List<DialogInstance> DialogStack { get; set; }
}

/// <summary>One dialog on the stack: its id and its own state, which must survive a round trip through JSON.</summary>
public class DialogInstance
{
    public string Id { get; set; } = string.Empty;

    /// <summary>
    /// The dialog's state. After a turn boundary (a reload from storage) values that were objects
    /// come back as <see cref="System.Text.Json.JsonElement"/>: read them with
    /// <see cref="State.StateJson.Convert{T}"/>.
    /// </summary>
    public IDictionary<string, object> State { get; set; } = new Dictionary<string, object>(StringComparer.Ordinal);
}
