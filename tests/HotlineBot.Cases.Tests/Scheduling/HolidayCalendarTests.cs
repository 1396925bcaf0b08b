using HotlineBot.Cases.Scheduling;
using static HotlineBot.Cases.Tests.Scheduling.SchedulingFixtures;

namespace HotlineBot.Cases.Tests.Scheduling;

public sealed class HolidayCalendarTests
{
    [Fact]
    public void SeedFile_Loads_WithSourcedValidDates()
    {
        var calendar = HolidayCalendar.Load(CalendarPath());

        Assert.NotEmpty(calendar.Years);
        foreach (var year in calendar.Years.Where(y => y.HasData))
        {
            Assert.False(string.IsNullOrWhiteSpace(year.Source));
            Assert.Contains("国务院办公厅", year.Source, StringComparison.Ordinal);
            Assert.All(year.Holidays, d => Assert.Equal(year.Year, d.Year));
            Assert.All(year.Workdays, d => Assert.True(d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday));
            Assert.Empty(year.Holidays.Intersect(year.Workdays));
            Assert.Contains(new DateOnly(year.Year, 10, 1), year.Holidays);
            Assert.Contains(new DateOnly(year.Year, 5, 1), year.Holidays);
        }
    }

    [Fact]
    public void SeedFile_Has2026_AsPublished()
    {
        var calendar = SeedHolidays;

        Assert.True(calendar.HasData(2026));
        Assert.True(calendar.IsHoliday(new DateOnly(2026, 2, 17)));  // 春节
        Assert.True(calendar.IsMakeUpWorkday(new DateOnly(2026, 1, 4)));
        Assert.True(calendar.IsWorkingDay(new DateOnly(2026, 2, 28)));
        Assert.False(calendar.IsWorkingDay(new DateOnly(2026, 10, 7)));
        Assert.True(calendar.IsWorkingDay(new DateOnly(2026, 12, 31)));
    }

    [Fact]
    public void YearWithoutData_FallsBackToMondayToFriday()
    {
        var calendar = HolidayCalendar.Parse("""
            2030:
              # to fill from the notice
              holidays: []
              workdays: []
            """);

        Assert.False(calendar.HasData(2030));
        Assert.True(calendar.IsWorkingDay(new DateOnly(2030, 1, 1)));   // a Tuesday
        Assert.False(calendar.IsWorkingDay(new DateOnly(2030, 1, 5)));  // a Saturday
        Assert.True(calendar.IsWorkingDay(new DateOnly(2031, 1, 2)));   // a year not in the file at all
    }

    [Fact]
    public void Parse_ReadsRangesAndInlineLists()
    {
        var calendar = HolidayCalendar.Parse("""
            2025:
              source: "国务院办公厅关于2025年部分节假日安排的通知"
              holidays:
                - 2025-01-28..2025-02-04  # 春节
              workdays: [2025-01-26, 2025-02-08]
            """);

        Assert.Equal(8, calendar.Years.Single().Holidays.Count);
        Assert.True(calendar.IsWorkingDay(new DateOnly(2025, 2, 8)));
        Assert.False(calendar.IsWorkingDay(new DateOnly(2025, 2, 3)));
    }

    [Theory]
    [InlineData("2026:\n  source: x\n  holidays:\n    - 2026-02-30\n", "line 4", "not a valid date")]
    [InlineData("2026:\n  source: x\n  holidays:\n    - 2026-02-23..2026-02-15\n", "line 4", "ends before it starts")]
    [InlineData("2026:\n  source: x\n  holidays:\n    - 2025-12-31\n", "line 4", "not in 2026")]
    [InlineData("2026:\n  source: x\n  workdays: [2026-01-05]\n", "year 2026", "is a Monday")]
    [InlineData("2026:\n  holidays: [2026-01-01]\n", "year 2026", "without 'source:'")]
    [InlineData("2026:\n  source: x\n  holiday: []\n", "line 3", "unknown key 'holiday'")]
    [InlineData("  - 2026-01-01\n", "line 1", "before any year")]
    [InlineData("twenty:\n", "line 1", "expected a year")]
    [InlineData("2026:\n  source: x\n  holidays: [2026-01-03]\n  workdays: [2026-01-03]\n", "year 2026", "both a holiday and a make-up workday")]
    public void Parse_RejectsBadData_NamingTheLine(string text, string where, string reason)
    {
        var ex = Assert.Throws<FormatException>(() => HolidayCalendar.Parse(text, "calendar.yaml"));

        Assert.Contains("calendar.yaml", ex.Message, StringComparison.Ordinal);
        Assert.Contains(where, ex.Message, StringComparison.Ordinal);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }
}
