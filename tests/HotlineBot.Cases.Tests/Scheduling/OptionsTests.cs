using System.ComponentModel.DataAnnotations;
using HotlineBot.Cases.Scheduling;

namespace HotlineBot.Cases.Tests.Scheduling;

public sealed class OptionsTests
{
    [Fact]
    public void WorkingHours_ParsesOneOrSeveralRanges()
    {
        Assert.Equal(
            [new WorkingHoursRange(TimeSpan.FromHours(9), new TimeSpan(17, 30, 0))],
            WorkingHoursRange.ParseList("09:00-17:30"));
        Assert.Equal(
            [new WorkingHoursRange(TimeSpan.FromHours(9), TimeSpan.FromHours(12)), new WorkingHoursRange(new TimeSpan(13, 30, 0), new TimeSpan(17, 30, 0))],
            WorkingHoursRange.ParseList(" 09:00-12:00, 13:30-17:30 "));
        Assert.Equal(
            [new WorkingHoursRange(TimeSpan.Zero, TimeSpan.FromHours(24))],
            WorkingHoursRange.ParseList("0:00-24:00"));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("9-17", "not a time of day")]
    [InlineData("09:00", "not a range")]
    [InlineData("17:30-09:00", "ends before it starts")]
    [InlineData("09:00-12:00,11:00-13:00", "overlaps")]
    [InlineData("13:30-17:30,09:00-12:00", "overlaps")]
    [InlineData("09:00-17:60", "not a time of day")]
    [InlineData("24:00-24:30", "not a time of day")]
    public void WorkingHours_RejectsBadValues_WithTheReason(string value, string reason)
    {
        var ex = Assert.Throws<FormatException>(() => WorkingHoursRange.ParseList(value));

        Assert.Contains("Hotline:Operators:WorkingHours", ex.Message, StringComparison.Ordinal);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OperatorHoursOptions_Validation_ReportsHoursAndTimeZone()
    {
        var options = new OperatorHoursOptions { WorkingHours = "9am-5pm", TimeZone = "Mars/Olympus_Mons" };

        var results = Validate(options);

        Assert.Contains(results, r => r.MemberNames.Contains(nameof(OperatorHoursOptions.WorkingHours)));
        Assert.Contains(results, r => r.MemberNames.Contains(nameof(OperatorHoursOptions.TimeZone)) && r.ErrorMessage!.Contains("Mars/Olympus_Mons", StringComparison.Ordinal));
        Assert.Throws<InvalidOperationException>(() => new WorkingCalendar(new OperatorHoursOptions { TimeZone = "Mars/Olympus_Mons" }, HolidayCalendar.Empty));
    }

    [Fact]
    public void OperatorHoursOptions_Defaults_AreValid_AndUseShanghai()
    {
        var options = new OperatorHoursOptions();

        Assert.Empty(Validate(options));
        Assert.Equal(TimeSpan.FromHours(8), options.ResolveTimeZone().GetUtcOffset(new DateTime(2026, 7, 1, 0, 0, 0, DateTimeKind.Utc)));
        Assert.Equal(TimeSpan.FromHours(8), options.ResolveTimeZone().GetUtcOffset(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public void FollowUpOptions_Defaults_MatchTheIssue()
    {
        var options = new FollowUpOptions();

        Assert.Empty(Validate(options));
        Assert.Equal(TimeSpan.FromMinutes(15), options.FirstResponse.Urgent);
        Assert.Equal(TimeSpan.FromHours(2), options.FirstResponse.High);
        Assert.Equal(1, options.FirstResponse.NormalWorkingDays);
        Assert.Equal(TimeSpan.FromHours(1), options.SurveyDelay);
        Assert.Equal(TimeSpan.FromDays(3), options.AutoCloseWaitingForWorker);
    }

    [Fact]
    public void FollowUpOptions_Validation_RejectsNonPositiveDelays()
    {
        var options = new FollowUpOptions
        {
            FirstResponse = new FirstResponseOptions { Urgent = TimeSpan.Zero, NormalWorkingDays = 0 },
            SurveyDelay = TimeSpan.FromMinutes(-5),
            ReminderLeadTime = TimeSpan.FromMinutes(-1),
        };

        var messages = Validate(options).Select(r => r.ErrorMessage).ToList();

        Assert.Contains(messages, m => m!.Contains("FirstResponse:Urgent", StringComparison.Ordinal));
        Assert.Contains(messages, m => m!.Contains("NormalWorkingDays", StringComparison.Ordinal));
        Assert.Contains(messages, m => m!.Contains("SurveyDelay", StringComparison.Ordinal));
        Assert.Contains(messages, m => m!.Contains("ReminderLeadTime", StringComparison.Ordinal));
    }

    private static List<ValidationResult> Validate(object options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
