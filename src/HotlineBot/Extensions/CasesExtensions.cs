using HotlineBot.Cases;
using HotlineBot.Cases.Lifecycle;
using HotlineBot.Cases.Scheduling;
using HotlineBot.Cases.Storage;
using HotlineBot.Dialogs.Emergency;
using HotlineBot.Dialogs.Handoff;
using HotlineBot.Casework;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HotlineBot.Extensions;

public static class CasesExtensions
{
    /// <summary>The name of the holiday and make-up-day data in the seeds directory.</summary>
    public const string CalendarFileName = "calendar.yaml";

    /// <summary>
    /// Cases: the SQLite store at &lt;data&gt;/cases.db, the state machine, the operators' working calendar
    /// (Hotline:Operators, Hotline:TimeZone, seeds/calendar.yaml), the deadlines (Hotline:FollowUp) and the
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
        services.AddSingleton(sp => new CaseDeadlines(sp.GetRequiredService<WorkingCalendar>(), sp.GetRequiredService<IOptions<FollowUpOptions>>().Value));
        services.AddSingleton(sp => new CaseStateMachine(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp =>
        {
            var data = Path.GetFullPath(sp.GetRequiredService<IOptions<HotlineOptions>>().Value.DataDirectory);
            Directory.CreateDirectory(data);
            return new SqliteCaseStore(Path.Combine(data, "cases.db"), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<WorkingCalendar>().TimeZone);
        });
        services.AddSingleton<ICaseStore>(sp => sp.GetRequiredService<SqliteCaseStore>());
        services.AddSingleton<BotCaseService>();
        services.AddSingleton<ICaseService>(sp => sp.GetRequiredService<BotCaseService>());
        services.AddSingleton<IUrgentCaseOpener>(sp => sp.GetRequiredService<BotCaseService>());
        return services;
    }
}
