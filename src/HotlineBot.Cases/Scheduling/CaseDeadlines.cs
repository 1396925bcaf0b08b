using System.Globalization;

namespace HotlineBot.Cases.Scheduling;

/// <summary>
/// Case deadlines from <see cref="FollowUpOptions"/> on the <see cref="WorkingCalendar"/>:
/// <list type="bullet">
/// <item>urgent: wall-clock time (default 15 minutes). Urgent cases come from emergencies and are
/// followed 24/7 through the 12351 phone line, so office hours do not pause them;</item>
/// <item>high: working time (default 2 working hours): only chat operators take them, so a case opened
/// at 22:00 is due 2 hours after the next opening, not at midnight when no one can answer;</item>
/// <item>normal: working days on the calendar (default 1).</item>
/// </list>
/// </summary>
public sealed class CaseDeadlines(WorkingCalendar calendar, FollowUpOptions options)
{
    private static readonly string[] WeekdayNames = ["周日", "周一", "周二", "周三", "周四", "周五", "周六"];

    private readonly WorkingCalendar _calendar = calendar ?? throw new ArgumentNullException(nameof(calendar));
    private readonly FollowUpOptions _options = options ?? throw new ArgumentNullException(nameof(options));

    public DateTimeOffset FirstResponseDue(DateTimeOffset createdAt, CasePriority priority) => priority switch
    {
        CasePriority.Urgent => _calendar.ToLocal(createdAt + _options.FirstResponse.Urgent),
        CasePriority.High => _calendar.AddWorkingTime(createdAt, _options.FirstResponse.High),
        CasePriority.Normal => _calendar.AddWorkingDays(createdAt, _options.FirstResponse.NormalWorkingDays),
        _ => throw new ArgumentOutOfRangeException(nameof(priority), priority, null),
    };

    /// <summary>When operators are reminded: <see cref="FollowUpOptions.ReminderLeadTime"/> before the deadline, never before the case opened.</summary>
    public DateTimeOffset ReminderDue(DateTimeOffset createdAt, CasePriority priority)
    {
        var reminder = FirstResponseDue(createdAt, priority) - _options.ReminderLeadTime;
        return reminder > createdAt ? reminder : _calendar.ToLocal(createdAt);
    }

    /// <summary>
    /// What the bot tells a worker whose case opens at <paramref name="now"/>: the first-response
    /// deadline and a short sentence, e.g. "工作人员会在今天17:30前回复你".
    /// </summary>
    public ExpectedResponse ExpectedResponse(DateTimeOffset now, CasePriority priority)
    {
        var due = FirstResponseDue(now, priority);
        if (priority == CasePriority.Urgent)
        {
            return new ExpectedResponse(due, $"工作人员会在{FormatDuration(_options.FirstResponse.Urgent)}内联系你");
        }

        var today = _calendar.LocalDate(now);
        var dueDay = _calendar.LocalDate(due);
        var time = string.Create(CultureInfo.InvariantCulture, $"{due.Hour}:{due.Minute:D2}");
        var monthDay = string.Create(CultureInfo.InvariantCulture, $"{dueDay.Month}月{dueDay.Day}日");
        string when;
        if (dueDay == today)
        {
            when = $"今天{time}前";
        }
        else if (dueDay == today.AddDays(1))
        {
            when = $"明天（{monthDay}）{time}前";
        }
        else if (dueDay == NextWorkingDayAfter(today))
        {
            when = $"下一个工作日（{monthDay}，{WeekdayNames[(int)dueDay.DayOfWeek]}）{time}前";
        }
        else
        {
            when = $"{monthDay}（{WeekdayNames[(int)dueDay.DayOfWeek]}）{time}前";
        }

        return new ExpectedResponse(due, $"工作人员会在{when}回复你");
    }

    private DateOnly NextWorkingDayAfter(DateOnly day)
    {
        var next = day.AddDays(1);
        for (var i = 0; i < 3660 && !_calendar.IsWorkingDay(next); i++)
        {
            next = next.AddDays(1);
        }

        return next;
    }

    private static string FormatDuration(TimeSpan span)
    {
        if (span.TotalMinutes < 60 || span.Minutes != 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes}分钟");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}小时");
    }
}

/// <summary>The first-response deadline (in the hotline's time zone) and the sentence the bot tells the worker.</summary>
public sealed record ExpectedResponse(DateTimeOffset Due, string Message);
