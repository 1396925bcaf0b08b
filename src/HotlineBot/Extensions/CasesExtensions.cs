using Hangfire;
using Hangfire.InMemory;
using HotlineBot.Accounts;
using HotlineBot.BotFramework.Integration;
using HotlineBot.Cases;
using HotlineBot.Cases.FollowUps;
using HotlineBot.Cases.Lifecycle;
using HotlineBot.Cases.Scheduling;
using HotlineBot.Cases.Storage;
using HotlineBot.Cases.Workflow;
using HotlineBot.Casework;
using HotlineBot.Dialogs.Emergency;
using HotlineBot.Dialogs.Handoff;
using HotlineBot.FollowUps;
using HotlineBot.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HotlineBot.Extensions;

public static class CasesExtensions
{
    /// <summary>The name of the holiday and make-up-day data in the seeds directory.</summary>
    public const string CalendarFileName = "calendar.yaml";

    /// <summary>
    /// Cases: the SQLite store at &lt;data&gt;/cases.db (scaled out: Redis), the state machine, the operators' working calendar
    /// (Hotline:Operators, Hotline:TimeZone, seeds/calendar.yaml), the deadlines and follow-up rules
    /// (Hotline:FollowUp), the workflow operators and the bot act through, the follow-up jobs on Hangfire
    /// (in-memory storage rebuilt from the cases at start, or Redis), the operators' notification feed, and the
    /// case service the dialogs open and list cases through (also the emergency's urgent-case opener).
    /// </summary>
    public static IServiceCollection AddCases(this IServiceCollection services)
    {
        services.AddOptions<OperatorHoursOptions>()
            .BindConfiguration(OperatorHoursOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) =>
            {
                if (configuration["Hotline:TimeZone"] is { Length: > 0 } zone)
                {
                    options.TimeZone = zone;
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<FollowUpOptions>().BindConfiguration(FollowUpOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var path = Path.Combine(sp.GetRequiredService<IOptions<HotlineOptions>>().Value.SeedsDirectory, CalendarFileName);
            return File.Exists(path) ? HolidayCalendar.Load(path) : HolidayCalendar.Empty;
        });
        services.AddSingleton(sp => new WorkingCalendar(sp.GetRequiredService<IOptions<OperatorHoursOptions>>().Value, sp.GetRequiredService<HolidayCalendar>()));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<FollowUpOptions>>().Value);
        services.AddSingleton<CaseDeadlines>();
        services.AddSingleton<FollowUpPlanner>();
        services.AddSingleton(sp => new CaseStateMachine(sp.GetRequiredService<TimeProvider>()));
        services.AddShared<ICaseStore>(
            (sp, redis) => new RedisCaseStore(redis.Connection, redis.Keys, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<WorkingCalendar>().TimeZone),
            sp =>
            {
                var data = Path.GetFullPath(sp.GetRequiredService<IOptions<HotlineOptions>>().Value.DataDirectory);
                Directory.CreateDirectory(data);
                return new SqliteCaseStore(Path.Combine(data, "cases.db"), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<WorkingCalendar>().TimeZone);
            });

        // Scaled out, one feed for every instance: an operator's console may poll any of them.
        services.AddShared<IOperatorFeed>(
            (sp, redis) => new RedisOperatorFeed(redis.Connection, redis.Keys, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RedisOperatorFeed>>()),
            sp => ActivatorUtilities.CreateInstance<OperatorFeed>(sp));
        services.AddSingleton<IOperatorNotifier>(sp => AlertsExtensions.WithAlerts(sp, sp.GetRequiredService<IOperatorFeed>()));
        services.AddSingleton<IWorkerMessenger>(sp => new BotWorkerMessenger(sp.GetRequiredService<BotFrameworkHttpAdapter>()));
        services.AddSingleton<IFollowUpScheduler>(sp => new HangfireFollowUpScheduler(
            sp.GetRequiredService<IBackgroundJobClient>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<HotlineRedis>() is { Enabled: true } redis ? new ScheduledFollowUps(redis.Connection, redis.Keys, sp.GetRequiredService<TimeProvider>()) : null));
        services.AddSingleton<CaseWorkflow>();
        services.AddSingleton<CaseFollowUps>();
        services.AddTransient<FollowUpJobs>();
        services.AddFollowUpJobs();

        services.AddSingleton<BotCaseService>();
        services.AddSingleton<ICaseService>(sp => sp.GetRequiredService<BotCaseService>());
        services.AddSingleton<IUrgentCaseOpener>(sp => sp.GetRequiredService<BotCaseService>());
        return services;
    }

    /// <summary>The operators' case API and the Hangfire Dashboard at /hangfire (admins only).</summary>
    public static WebApplication MapCases(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapCasesApi();
        // Authorization comes from the endpoint's policy; the dashboard's own filter (local requests only) is dropped.
        app.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [], DashboardTitle = "HotlineBot follow-ups" })
            .RequireAuthorization(Policies.Admin);
        return app;
    }

    /// <summary>
    /// Hangfire with this host's own storage: in memory, or scaled out in the shared Redis under
    /// <c>{prefix}hangfire:</c>, where each job is fetched by one instance. The storage is registered as this
    /// container's singleton, not taken from Hangfire's static current storage, so two hosts in one process
    /// (tests) never share jobs unless they share a Redis. Rehydration runs before the server starts taking jobs.
    /// </summary>
    private static void AddFollowUpJobs(this IServiceCollection services)
    {
        services.AddRedis();
        services.AddSingleton<JobStorage>(sp => sp.GetRequiredService<HotlineRedis>() is { Enabled: true } redis
            ? new Hangfire.Redis.StackExchange.RedisStorage(redis.Connection, new Hangfire.Redis.StackExchange.RedisStorageOptions { Prefix = redis.Keys.Key("hangfire") + ":" })
            : new InMemoryStorage(new InMemoryStorageOptions { IdType = InMemoryStorageIdType.Long }));
        // Jobs are built from this host's own container too: Hangfire's default takes the process-wide
        // JobActivator.Current, which the last host to start overwrites.
        services.AddSingleton<JobActivator>(sp => new Hangfire.AspNetCore.AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire(configuration => configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        services.AddHostedService<FollowUpRehydration>();
        services.AddHangfireServer((sp, server) =>
        {
            var options = sp.GetRequiredService<FollowUpOptions>();
            server.SchedulePollingInterval = options.SchedulePollingInterval;
            server.WorkerCount = Math.Clamp(Environment.ProcessorCount * 2, 2, 10);
        });
    }
}
