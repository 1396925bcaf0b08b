using HotlineBot.Cases.Scheduling;
using static HotlineBot.Cases.Tests.Scheduling.SchedulingFixtures;

namespace HotlineBot.Cases.Tests.Scheduling;

public sealed class WorkingCalendarTests
{
    [Fact]
    public void NextWorkingTime_FridayEvening_IsMondayOpening()
    {
        var calendar = Calendar();

        var next = calendar.NextWorkingTime(Cst(2026, 11, 27, 18, 40));

        Assert.Equal(Cst(2026, 11, 30, 9, 0), next);
        Assert.Equal(Shanghai, next.Offset);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 1, 0, 0, TimeSpan.Zero), next.ToUniversalTime());
    }

    [Fact]
    public void NextWorkingTime_DuringHours_IsTheSameInstant()
    {
        var at = Cst(2026, 12, 1, 10, 17);

        Assert.Equal(at, Calendar().NextWorkingTime(at));
    }

    [Fact]
    public void IsWorkingTime_OpeningIsIn_ClosingIsOut()
    {
        var calendar = Calendar();

        Assert.False(calendar.IsWorkingTime(Cst(2026, 12, 1, 8, 59)));
        Assert.True(calendar.IsWorkingTime(Cst(2026, 12, 1, 9, 0)));
        Assert.True(calendar.IsWorkingTime(Cst(2026, 12, 1, 17, 29)));
        Assert.False(calendar.IsWorkingTime(Cst(2026, 12, 1, 17, 30)));
        Assert.False(calendar.IsWorkingTime(Cst(2026, 12, 5, 10, 0))); // Saturday
    }

    [Fact]
    public void IsWorkingTime_ReadsUtcInstantsInShanghaiTime()
    {
        var calendar = Calendar();

        // Sunday 20:00 UTC is Monday 04:00 in Shanghai: not yet open; Monday 01:00 UTC is 09:00.
        var sundayEveningUtc = new DateTimeOffset(2026, 11, 29, 20, 0, 0, TimeSpan.Zero);
        Assert.False(calendar.IsWorkingTime(sundayEveningUtc));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 1, 0, 0, TimeSpan.Zero), calendar.NextWorkingTime(sundayEveningUtc));

        // Friday 09:00 UTC is 17:00 Friday in Shanghai (still on duty); 09:30 UTC is closing time.
        Assert.True(calendar.IsWorkingTime(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero)));
        Assert.False(calendar.IsWorkingTime(new DateTimeOffset(2026, 11, 27, 9, 30, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Calendar_InUtc_OpensAtNineUtc()
    {
        var calendar = Calendar(timeZone: "UTC", holidays: HolidayCalendar.Empty);

        var next = calendar.NextWorkingTime(new DateTimeOffset(2026, 11, 30, 1, 0, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero), next);
        Assert.Equal(TimeSpan.Zero, next.Offset);
    }

    [Fact]
    public void MakeUpSaturday_IsAWorkingDay()
    {
        var calendar = Calendar();

        Assert.True(calendar.IsWorkingTime(Cst(2026, 2, 14, 10, 0)));
        Assert.Equal(Cst(2026, 2, 14, 9, 0), calendar.NextWorkingTime(Cst(2026, 2, 13, 18, 0)));
        Assert.False(Calendar(holidays: HolidayCalendar.Empty).IsWorkingTime(Cst(2026, 2, 14, 10, 0)));
    }

    [Fact]
    public void HolidayRange_IsSkipped()
    {
        var calendar = Calendar();

        // Saturday 14 Feb is a make-up day; 15–23 Feb is the Spring Festival holiday.
        Assert.Equal(Cst(2026, 2, 24, 9, 30), calendar.AddWorkingTime(Cst(2026, 2, 14, 17, 0), TimeSpan.FromHours(1)));
        // National Day: 1–7 October.
        Assert.Equal(Cst(2026, 10, 8, 9, 30), calendar.AddWorkingTime(Cst(2026, 9, 30, 17, 0), TimeSpan.FromHours(1)));
        Assert.False(calendar.IsWorkingTime(Cst(2026, 10, 5, 10, 0)));
    }

    [Fact]
    public void AddWorkingTime_NearClosing_ContinuesNextWorkingDay()
    {
        var calendar = Calendar();

        Assert.Equal(Cst(2026, 12, 3, 9, 30), calendar.AddWorkingTime(Cst(2026, 12, 2, 17, 0), TimeSpan.FromHours(1)));
        Assert.Equal(Cst(2026, 12, 2, 17, 30), calendar.AddWorkingTime(Cst(2026, 12, 2, 17, 0), TimeSpan.FromMinutes(30)));
        Assert.Equal(Cst(2026, 12, 2, 11, 0), calendar.AddWorkingTime(Cst(2026, 12, 2, 7, 0), TimeSpan.FromHours(2)));
    }

    [Fact]
    public void AddWorkingTime_AcrossLunchBreak_SkipsTheBreak()
    {
        var calendar = Calendar("09:00-12:00,13:30-17:30");

        Assert.Equal(Cst(2026, 12, 1, 14, 0), calendar.AddWorkingTime(Cst(2026, 12, 1, 11, 30), TimeSpan.FromHours(1)));
        Assert.Equal(Cst(2026, 12, 1, 12, 0), calendar.AddWorkingTime(Cst(2026, 12, 1, 11, 30), TimeSpan.FromMinutes(30)));
        Assert.Equal(Cst(2026, 12, 1, 14, 30), calendar.AddWorkingTime(Cst(2026, 12, 1, 12, 45), TimeSpan.FromHours(1)));
        Assert.False(calendar.IsWorkingTime(Cst(2026, 12, 1, 12, 45)));
        Assert.Equal(Cst(2026, 12, 1, 13, 30), calendar.NextWorkingTime(Cst(2026, 12, 1, 12, 45)));
    }

    [Fact]
    public void AddWorkingTime_AcrossWeekend_ContinuesMonday()
    {
        var calendar = Calendar("09:00-12:00,13:30-17:30");

        Assert.Equal(Cst(2026, 11, 30, 9, 30), calendar.AddWorkingTime(Cst(2026, 11, 27, 17, 0), TimeSpan.FromHours(1)));
        Assert.Equal(Cst(2026, 11, 30, 14, 0), calendar.AddWorkingTime(Cst(2026, 11, 28, 10, 0), TimeSpan.FromHours(3.5)));
    }

    [Fact]
    public void AddWorkingTime_RejectsNegativeSpan() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Calendar().AddWorkingTime(Cst(2026, 12, 1, 10, 0), TimeSpan.FromMinutes(-1)));

    [Fact]
    public void AddWorkingDays_KeepsTheTimeOfDay_OnTheNextWorkingDay()
    {
        var calendar = Calendar();

        Assert.Equal(TimeSpan.FromHours(8.5), calendar.DailyWorkingTime);
        Assert.Equal(Cst(2026, 12, 3, 10, 0), calendar.AddWorkingDays(Cst(2026, 12, 2, 10, 0), 1));
        Assert.Equal(Cst(2026, 11, 30, 16, 0), calendar.AddWorkingDays(Cst(2026, 11, 27, 16, 0), 1));
        Assert.Equal(Cst(2026, 12, 2, 16, 0), calendar.AddWorkingDays(Cst(2026, 11, 27, 16, 0), 3));
    }

    [Fact]
    public void AddWorkingDays_OutsideHours_EndsAtClosingOfTheNextWorkingDay()
    {
        var calendar = Calendar();

        Assert.Equal(Cst(2026, 11, 30, 17, 30), calendar.AddWorkingDays(Cst(2026, 11, 27, 20, 0), 1));
        Assert.Equal(Cst(2026, 11, 30, 17, 30), calendar.AddWorkingDays(Cst(2026, 11, 30, 8, 0), 1));
    }

    [Fact]
    public void Describe_BuildsTheHoursAnswerFromTheOptions()
    {
        Assert.Equal("工作日（周一至周五）9:00–17:30", Calendar().Describe());
        Assert.Equal("工作日（周一至周五）9:00–12:00、13:30–17:30", Calendar("09:00-12:00,13:30-17:30").Describe());
    }
}
