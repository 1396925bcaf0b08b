using System.Globalization;

namespace HotlineBot.Cases.Scheduling;

/// <summary>
/// The chat operators' on-duty time: the configured daily ranges on working days (Monday–Friday,
/// adjusted by the <see cref="HolidayCalendar"/>), in the hotline's time zone. Instants go in and come
/// out as <see cref="DateTimeOffset"/>s carrying the hotline zone's offset. Ranges are half open: on
/// duty from the start up to, not including, the end.
/// </summary>
public sealed class WorkingCalendar
{
    // Farther than any run of holidays: a schedule that finds no working time within it is broken.
    private const int MaxDaysSearched = 3660;

    private readonly IReadOnlyList<WorkingHoursRange> _ranges;

    public WorkingCalendar(OperatorHoursOptions options, HolidayCalendar holidays)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(holidays);
        _ranges = options.ParseWorkingHours();
        TimeZone = options.ResolveTimeZone();
        Holidays = holidays;
        DailyWorkingTime = _ranges.Aggregate(TimeSpan.Zero, (sum, range) => sum + range.Duration);
    }

    public TimeZoneInfo TimeZone { get; }

    public HolidayCalendar Holidays { get; }

    public IReadOnlyList<WorkingHoursRange> Ranges => _ranges;

    /// <summary>On-duty time in one working day (8:30 for 09:00-17:30).</summary>
    public TimeSpan DailyWorkingTime { get; }

    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, TimeZone);

    public DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(ToLocal(instant).DateTime);

    public bool IsWorkingDay(DateOnly day) => Holidays.IsWorkingDay(day);

    public bool IsWorkingTime(DateTimeOffset instant)
    {
        var local = ToLocal(instant);
        if (!IsWorkingDay(DateOnly.FromDateTime(local.DateTime)))
        {
            return false;
        }

        var time = local.TimeOfDay;
        return _ranges.Any(r => r.Start <= time && time < r.End);
    }

    /// <summary><paramref name="instant"/> itself when operators are on duty, else the start of their next stretch.</summary>
    public DateTimeOffset NextWorkingTime(DateTimeOffset instant)
    {
        foreach (var (start, end) in StretchesFrom(instant))
        {
            return instant >= start ? ToLocal(instant) : start;
        }

        throw NoWorkingTime();
    }

    /// <summary>
    /// The earliest instant by which operators have been on duty for <paramref name="span"/> since
    /// <paramref name="instant"/>: off-duty time does not count, and a span that ends exactly at closing
    /// time ends there (not at the next opening). A zero span returns <paramref name="instant"/>.
    /// </summary>
    public DateTimeOffset AddWorkingTime(DateTimeOffset instant, TimeSpan span)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(span, TimeSpan.Zero);
        if (span == TimeSpan.Zero)
        {
            return ToLocal(instant);
        }

        var remaining = span;
        foreach (var (start, end) in StretchesFrom(instant))
        {
            var from = instant > start ? instant : start;
            var available = end - from;
            if (remaining <= available)
            {
                return ToLocal(from + remaining);
            }

            remaining -= available;
        }

        throw NoWorkingTime();
    }

    /// <summary>
    /// <paramref name="days"/> working days after <paramref name="instant"/>: that many full working days
    /// of on-duty time (<see cref="DailyWorkingTime"/> each). Wednesday 10:00 + 1 → Thursday 10:00;
    /// Friday 16:00 + 1 → Monday 16:00; outside hours (Friday 20:00, Monday 08:00) + 1 → Monday's closing.
    /// </summary>
    public DateTimeOffset AddWorkingDays(DateTimeOffset instant, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        return AddWorkingTime(instant, DailyWorkingTime * days);
    }

    /// <summary>The hours for the bot's answer, e.g. "工作日（周一至周五）9:00–12:00、13:30–17:30".</summary>
    public string Describe() => "工作日（周一至周五）" + string.Join("、", _ranges.Select(r => r.ToString()));

    /// <summary>The on-duty stretches that end after <paramref name="instant"/>, in order, as instants.</summary>
    private IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> StretchesFrom(DateTimeOffset instant)
    {
        var day = LocalDate(instant);
        for (var i = 0; i < MaxDaysSearched; i++, day = day.AddDays(1))
        {
            if (!IsWorkingDay(day))
            {
                continue;
            }

            foreach (var range in _ranges)
            {
                var end = AtLocal(day, range.End);
                if (end > instant)
                {
                    yield return (AtLocal(day, range.Start), end);
                }
            }
        }
    }

    /// <summary>The instant of a local wall-clock time (a time skipped by a daylight-saving change reads with the standard offset).</summary>
    private DateTimeOffset AtLocal(DateOnly day, TimeSpan timeOfDay)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified) + timeOfDay;
        return new DateTimeOffset(local, TimeZone.GetUtcOffset(local));
    }

    private static InvalidOperationException NoWorkingTime() =>
        new(string.Create(CultureInfo.InvariantCulture, $"The working calendar has no working time within {MaxDaysSearched} days; check the holiday data."));
}
