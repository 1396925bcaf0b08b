namespace HotlineBot.Dialogs;

/// <summary>Settings of the worker's conversation (config section <c>Hotline:Dialogs</c>).</summary>
public sealed class HotlineBotOptions
{
    public const string Section = "Hotline:Dialogs";

    /// <summary>
    /// How long the emergency reply waits for the urgent case to open. The numbers must never wait on
    /// a store: past this the reply goes without a case id (the case may still open).
    /// </summary>
    public TimeSpan UrgentCaseTimeout { get; set; } = TimeSpan.FromSeconds(3);
}
