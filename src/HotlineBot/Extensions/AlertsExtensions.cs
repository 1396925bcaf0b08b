using HotlineBot.Alerts;
using HotlineBot.Cases.FollowUps;
using Microsoft.Extensions.Options;

namespace HotlineBot.Extensions;

public static class AlertsExtensions
{
    /// <summary>The key the operator notifiers beside the console's feed are registered under (<see cref="WithAlerts"/> combines them).</summary>
    public const string AlertChannelsKey = "hotline-alerts";

    /// <summary>
    /// Operators' alerts where they already are (Hotline:Alerts): the WeCom group robot, through Hangfire jobs
    /// (the follow-ups' job server) and a typed HttpClient with a timeout. Off while Hotline:Alerts:WeComRobotUrl is unset.
    /// </summary>
    public static IServiceCollection AddAlerts(this IServiceCollection services)
    {
        services.AddOptions<AlertOptions>()
            .BindConfiguration(AlertOptions.SectionName)
            .Validate(AlertOptions.IsValid, "Hotline:Alerts:WeComRobotUrl and Hotline:Alerts:PublicBaseUrl must be absolute http(s) URLs when set.")
            .ValidateOnStart();
        // No request logging: the webhook's query string holds the robot's key.
        services.AddHttpClient<WeComRobotClient>(http => http.Timeout = WeComRobotClient.Timeout).RemoveAllLoggers();
        services.AddTransient<WeComAlertJob>();
        services.AddKeyedSingleton<IOperatorNotifier, WeComAlertNotifier>(AlertChannelsKey);
        return services;
    }

    /// <summary>
    /// The console's feed, plus the alert channels when <see cref="AddAlerts"/> registered them and the robot is
    /// configured: the <see cref="IOperatorNotifier"/> the workflow and the follow-ups notify through.
    /// </summary>
    public static IOperatorNotifier WithAlerts(IServiceProvider services, IOperatorNotifier feed)
    {
        ArgumentNullException.ThrowIfNull(services);
        var alerts = services.GetService<IOptions<AlertOptions>>()?.Value;
        var channels = alerts is { Enabled: true } ? services.GetKeyedServices<IOperatorNotifier>(AlertChannelsKey).ToList() : [];
        return channels.Count == 0
            ? feed
            : new CompositeOperatorNotifier(feed, channels, services.GetRequiredService<ILogger<CompositeOperatorNotifier>>());
    }
}
