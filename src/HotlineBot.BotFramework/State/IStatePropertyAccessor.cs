using HotlineBot.BotFramework.Builder;

namespace HotlineBot.BotFramework.State;

/// <summary>One named property of a <see cref="BotState"/> (as Bot Builder's IStatePropertyAccessor).</summary>
public interface IStatePropertyAccessor<T>
{
    string Name { get; }

    /// <summary>The value; when there is none, the factory's value (stored for this turn), or default without a factory.</summary>
    Task<T?> GetAsync(ITurnContext turnContext, Func<T>? defaultValueFactory = null, CancellationToken cancellationToken = default);

    Task SetAsync(ITurnContext turnContext, T value, CancellationToken cancellationToken = default);

    Task DeleteAsync(ITurnContext turnContext, CancellationToken cancellationToken = default);
}
