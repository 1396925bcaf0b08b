using System.Globalization;

namespace HotlineBot.Cases;

/// <summary>
/// Readable case ids, <c>12351-YYYYMMDD-NNNN</c>: the date the case opened in the hotline's time zone
/// and that day's counter (4 digits, more when a day ever passes 9999). Stores keep the counter and
/// never hand out a number twice.
/// </summary>
public static class CaseIds
{
    public const string Prefix = "12351";

    /// <summary>The hotline's time zone when none is configured: Asia/Shanghai (UTC+8 all year).</summary>
    public static TimeZoneInfo DefaultTimeZone { get; } = FindDefaultTimeZone();

    /// <summary>The day, in <paramref name="timeZone"/>, that a case opened at <paramref name="at"/> is filed under.</summary>
    public static DateOnly DayOf(DateTimeOffset at, TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, timeZone).DateTime);
    }

    public static string Format(DateOnly day, long number)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        return string.Create(CultureInfo.InvariantCulture, $"{Prefix}-{day:yyyyMMdd}-{number:D4}");
    }

    /// <summary>Reads an id back into its day and number.</summary>
    public static bool TryParse(string? id, out DateOnly day, out long number)
    {
        day = default;
        number = 0;
        var parts = id?.Split('-');
        return parts is [Prefix, { Length: 8 } date, { Length: >= 4 } counter]
            && DateOnly.TryParseExact(date, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day)
            && counter.All(char.IsAsciiDigit)
            && long.TryParse(counter, NumberStyles.None, CultureInfo.InvariantCulture, out number)
            && number > 0;
    }

    private static TimeZoneInfo FindDefaultTimeZone()
    {
        if (TimeZoneInfo.TryFindSystemTimeZoneById("Asia/Shanghai", out var zone))
        {
            return zone;
        }

        // No tz database (some containers): China has kept UTC+8 without daylight saving since 1991.
        return TimeZoneInfo.CreateCustomTimeZone("Asia/Shanghai", TimeSpan.FromHours(8), "China Standard Time", "China Standard Time");
    }
}
