namespace HotlineBot.BotFramework.Connector;

/// <summary>
/// The channel will not take this proactive activity, and trying again would not change that or might show it
/// twice (the user is outside the channel's reply window, has left, or the outcome of a timed-out send is
/// unknown). A sender records it as undeliverable with <see cref="Reason"/> instead of retrying.
/// </summary>
public sealed class ActivityUndeliverableException : Exception
{
    public ActivityUndeliverableException()
        : this("The channel will not deliver the activity.")
    {
    }

    public ActivityUndeliverableException(string reason)
        : this(reason, null)
    {
    }

    public ActivityUndeliverableException(string reason, Exception? innerException)
        : base(reason, innerException)
    {
        Reason = reason;
    }

    /// <summary>Why, in words an operator reads (Simplified Chinese), with no personal data.</summary>
    public string Reason { get; }
}
