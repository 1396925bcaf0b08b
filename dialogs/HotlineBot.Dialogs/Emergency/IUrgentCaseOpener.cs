using HotlineBot.BotFramework.Builder;

namespace HotlineBot.Dialogs.Emergency;

/// <summary>
/// Opens an urgent case the moment an emergency is detected (implemented where cases live). The
/// emergency reply waits for it only briefly: it carries the case id when the case opened in time.
/// </summary>
public interface IUrgentCaseOpener
{
    /// <summary>Opens an urgent case for this turn's conversation; returns its id, or null when none was opened.</summary>
    /// <param name="turnContext">The turn that revealed the danger (its conversation, user and text).</param>
    /// <param name="category">The leading category name, e.g. <c>injury</c> or <c>self-harm</c>.</param>
    /// <param name="cancellationToken">Cancelled when the reply can wait no longer.</param>
    Task<string?> OpenUrgentAsync(ITurnContext turnContext, string category, CancellationToken cancellationToken);
}
