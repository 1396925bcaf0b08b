using HotlineBot.BotFramework.Connector;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotlineBot.BotFramework.DirectLine;

public static class DirectLineServiceCollectionExtensions
{
    /// <summary>
    /// The Direct Line channel: <see cref="DirectLineOptions"/> validated on start (bind them before or after
    /// this call), tokens signed with <paramref name="signingKey"/>, the in-memory
    /// <see cref="IDirectLineStore"/> unless another is registered, and <see cref="DirectLineChannel"/>. The
    /// registered <see cref="IConnectorClient"/> is wrapped in <see cref="DirectLineConnectorClient"/>, so it
    /// must be registered first. Map the endpoints with <see cref="DirectLineEndpoints.MapDirectLineApi"/>
    /// (after <c>UseWebSockets</c>); the adapter (<c>BotFrameworkHttpAdapter</c>) and <c>IBot</c> come from the host.
    /// </summary>
    public static IServiceCollection AddDirectLineChannel(this IServiceCollection services, Func<IServiceProvider, byte[]> signingKey)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(signingKey);
        services.AddOptions<DirectLineOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new DirectLineTokens(
            signingKey(sp), sp.GetRequiredService<IOptions<DirectLineOptions>>().Value.TokenLifetime, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IDirectLineStore, InMemoryDirectLineStore>();
        services.AddSingleton<DirectLineChannel>();
        services.DecorateConnectorClient((sp, inner) => new DirectLineConnectorClient(
            inner,
            sp.GetRequiredService<IDirectLineStore>(),
            sp.GetRequiredService<IOptions<DirectLineOptions>>(),
            sp.GetRequiredService<ILogger<DirectLineConnectorClient>>()));
        return services;
    }
}
