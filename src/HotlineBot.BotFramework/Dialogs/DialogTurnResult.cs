namespace HotlineBot.BotFramework.Dialogs;

/// <summary>Where the dialog stack stands after a call into it.</summary>
public enum DialogTurnStatus
{
    /// <summary>No dialog was active.</summary>
    Empty,

    /// <summary>The active dialog waits for the user's next message.</summary>
    Waiting,

    /// <summary>The dialog ended; its result is in <see cref="DialogTurnResult.Result"/>.</summary>
    Complete,

    /// <summary>The dialogs were cancelled.</summary>
    Cancelled,
}

/// <summary>Why a dialog is being begun, resumed or ended.</summary>
public enum DialogReason
{
    BeginCalled,
    ContinueCalled,
    EndCalled,
    ReplaceCalled,
    CancelCalled,
    NextCalled,
}

/// <summary>The outcome of a call into the dialog stack.</summary>
public class DialogTurnResult(DialogTurnStatus status, object? result = null)
{
    public DialogTurnStatus Status { get; set; } = status;

    public object? Result { get; set; } = result;

    /// <summary>True when the dialog that ended was the last on its stack.</summary>
    public bool ParentEnded { get; set; }
}
