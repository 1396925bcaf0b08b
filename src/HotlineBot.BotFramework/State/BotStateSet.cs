using HotlineBot.BotFramework.Builder;

namespace HotlineBot.BotFramework.State;

/// <summary>Several states loaded and saved together.</summary>
public class BotStateSet(params BotState[] botStates)
{
    public IList<BotState> BotStates { get; } = [.. botStates ?? []];

    public BotStateSet Add(BotState botState)
    {
        BotStates.Add(botState ?? throw new ArgumentNullException(nameof(botState)));
        return this;
    }

    public Task LoadAllAsync(ITurnContext turnContext, bool force = false, CancellationToken cancellationToken = default) =>
        Task.WhenAll(BotStates.Select(s => s.LoadAsync(turnContext, force, cancellationToken)));

    public Task SaveAllChangesAsync(ITurnContext turnContext, bool force = false, CancellationToken cancellationToken = default) =>
        Task.WhenAll(BotStates.Select(s => s.SaveChangesAsync(turnContext, force, cancellationToken)));
}
