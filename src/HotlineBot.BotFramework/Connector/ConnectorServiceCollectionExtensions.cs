using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.BotFramework.Connector;

public static class ConnectorServiceCollectionExtensions
{
    /// <summary>
    /// Replaces the registered <see cref="IConnectorClient"/> with <paramref name="decorate"/>'s wrapper around it, keeping
    /// its lifetime: how a channel hosted in this process (Direct Line, WeChat) takes its own conversations' activities and
    /// passes the rest on. Register the connector first.
    /// </summary>
    public static IServiceCollection DecorateConnectorClient(this IServiceCollection services, Func<IServiceProvider, IConnectorClient, IConnectorClient> decorate)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(decorate);
        var original = services.LastOrDefault(d => d.ServiceType == typeof(IConnectorClient))
            ?? throw new InvalidOperationException("Register the IConnectorClient (the Bot Framework connector) before a channel that wraps it.");
        if (original.IsKeyedService)
        {
            throw new InvalidOperationException("The IConnectorClient registration must not be keyed.");
        }

        services.Remove(original);
        services.Add(ServiceDescriptor.Describe(typeof(IConnectorClient), sp => decorate(sp, Create(sp, original)), original.Lifetime));
        return services;
    }

    private static IConnectorClient Create(IServiceProvider services, ServiceDescriptor original) => (IConnectorClient)(
        original.ImplementationInstance
        ?? original.ImplementationFactory?.Invoke(services)
        ?? ActivatorUtilities.CreateInstance(services, original.ImplementationType!));
}
