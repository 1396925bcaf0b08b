using HotlineBot.Cases.Scheduling;
using static HotlineBot.Cases.Tests.Scheduling.SchedulingFixtures;

namespace HotlineBot.Cases.Tests.Scheduling;

public sealed class CaseDeadlinesTests
{
    private static CaseDeadlines Deadlines(string hours = "09:00-17:30") => new(Calendar(hours), new FollowUpOptions());

    [Fact]
    public void Urgent_CountsWallClockTime_EvenAtNightOnAHoliday()
    {
        var due = Deadlines().FirstResponseDue(Cst(2026, 10, 3, 23, 50), CasePriority.Urgent);

        Assert.Equal(Cst(2026, 10, 4, 0, 5), due);
    }

    [Fact]
    public void High_CountsWorkingTime()
    {
        var deadlines = Deadlines();

        Assert.Equal(Cst(2026, 12, 1, 12, 0), deadlines.FirstResponseDue(Cst(2026, 12, 1, 10, 0), CasePriority.High));
        Assert.Equal(Cst(2026, 11, 30, 10, 0), deadlines.FirstResponseDue(Cst(2026, 11, 27, 16, 30), CasePriority.High));
        Assert.Equal(Cst(2026, 12, 2, 11, 0), deadlines.FirstResponseDue(Cst(2026, 12, 1, 22, 0), CasePriority.High));
    }

    [Fact]
    public void Normal_IsOneWorkingDay_OnTheCalendar()
    {
        var deadlines = Deadlines();

        Assert.Equal(Cst(2026, 12, 3, 10, 0), deadlines.FirstResponseDue(Cst(2026, 12, 2, 10, 0), CasePriority.Normal));
        Assert.Equal(Cst(2026, 2, 24, 10, 0), deadlines.FirstResponseDue(Cst(2026, 2, 14, 10, 0), CasePriority.Normal));
    }

    [Fact]
    public void FirstResponseDue_AcceptsUtcInstants_AndAnswersInShanghaiTime()
    {
        var createdUtc = new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero); // 10:00 in Shanghai

        var due = Deadlines().FirstResponseDue(createdUtc, CasePriority.High);

        Assert.Equal(Cst(2026, 12, 1, 12, 0), due);
        Assert.Equal(Shanghai, due.Offset);
    }

    [Fact]
    public void ReminderDue_IsTheLeadTimeBeforeTheDeadline()
    {
        Assert.Equal(Cst(2026, 12, 1, 11, 55), Deadlines().ReminderDue(Cst(2026, 12, 1, 10, 0), CasePriority.High));
    }

    [Fact]
    public void ExpectedResponse_DuringHours_SaysToday()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 11, 30, 1, 0, 0, TimeSpan.Zero)); // Monday 09:00

        var expected = Deadlines().ExpectedResponse(clock.GetUtcNow(), CasePriority.High);

        Assert.Equal(Cst(2026, 11, 30, 11, 0), expected.Due);
        Assert.Equal("工作人员会在今天11:00前回复你", expected.Message);
    }

    [Fact]
    public void ExpectedResponse_FridayEvening_SaysNextWorkingDay()
    {
        var clock = new TestClock(Cst(2026, 11, 27, 20, 0));

        var expected = Deadlines().ExpectedResponse(clock.GetUtcNow(), CasePriority.High);

        Assert.Equal(Cst(2026, 11, 30, 11, 0), expected.Due);
        Assert.Equal("工作人员会在下一个工作日（11月30日，周一）11:00前回复你", expected.Message);
    }

    [Fact]
    public void ExpectedResponse_NormalOnAWeekday_SaysTomorrow()
    {
        var expected = Deadlines().ExpectedResponse(Cst(2026, 11, 30, 10, 0), CasePriority.Normal);

        Assert.Equal("工作人员会在明天（12月1日）10:00前回复你", expected.Message);
    }

    [Fact]
    public void ExpectedResponse_BeforeAHoliday_NamesTheDate()
    {
        var expected = Deadlines().ExpectedResponse(Cst(2026, 9, 30, 15, 0), CasePriority.Normal);

        Assert.Equal(Cst(2026, 10, 8, 15, 0), expected.Due);
        Assert.Equal("工作人员会在下一个工作日（10月8日，周四）15:00前回复你", expected.Message);
    }

    [Fact]
    public void ExpectedResponse_Urgent_SaysMinutes()
    {
        var expected = Deadlines().ExpectedResponse(Cst(2026, 11, 28, 3, 0), CasePriority.Urgent);

        Assert.Equal(Cst(2026, 11, 28, 3, 15), expected.Due);
        Assert.Equal("工作人员会在15分钟内联系你", expected.Message);
    }
}
