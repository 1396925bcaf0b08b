using HotlineBot.Cases.Scheduling;

namespace HotlineBot.Cases.Tests.Scheduling;

internal static class SchedulingFixtures
{
    public static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    /// <summary>A wall-clock time in Asia/Shanghai.</summary>
    public static DateTimeOffset Cst(int year, int month, int day, int hour, int minute = 0) =>
        new(year, month, day, hour, minute, 0, Shanghai);

    public static string CalendarPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "seeds", "calendar.yaml");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("seeds/calendar.yaml not found above " + AppContext.BaseDirectory);
    }

    public static HolidayCalendar SeedHolidays { get; } = HolidayCalendar.Load(CalendarPath());

    public static WorkingCalendar Calendar(string hours = "09:00-17:30", string timeZone = "Asia/Shanghai", HolidayCalendar? holidays = null) =>
        new(new OperatorHoursOptions { WorkingHours = hours, TimeZone = timeZone }, holidays ?? SeedHolidays);
}
