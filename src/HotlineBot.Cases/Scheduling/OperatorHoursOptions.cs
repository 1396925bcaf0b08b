using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace HotlineBot.Cases.Scheduling;

/// <summary>
/// When chat operators are on duty. Bound from <c>Hotline:Operators</c> (<see cref="WorkingHours"/>);
/// <see cref="TimeZone"/> is the hotline-wide <c>Hotline:TimeZone</c>, which the host copies in when it
/// binds. Working days are Monday–Friday, adjusted by the holiday data in <c>seeds/calendar.yaml</c>.
/// </summary>
public sealed class OperatorHoursOptions : IValidatableObject
{
    public const string SectionName = "Hotline:Operators";

    public const string DefaultTimeZoneId = "Asia/Shanghai";

    /// <summary>
    /// One or more local time ranges, comma separated, e.g. <c>09:00-17:30</c> or
    /// <c>09:00-12:00,13:30-17:30</c> (a lunch break). Ranges lie within one day (an end of
    /// <c>24:00</c> is allowed), are in order and do not overlap.
    /// </summary>
    [Required]
    public string WorkingHours { get; set; } = "09:00-17:30";

    /// <summary>An IANA (or Windows) time zone id; default Asia/Shanghai (UTC+8, no daylight saving).</summary>
    [Required]
    public string TimeZone { get; set; } = DefaultTimeZoneId;

    /// <summary>The parsed <see cref="WorkingHours"/>; throws <see cref="FormatException"/> with the reason.</summary>
    public IReadOnlyList<WorkingHoursRange> ParseWorkingHours() => WorkingHoursRange.ParseList(WorkingHours);

    /// <summary>The configured zone; throws <see cref="InvalidOperationException"/> for an unknown id.</summary>
    public TimeZoneInfo ResolveTimeZone()
    {
        var id = string.IsNullOrWhiteSpace(TimeZone) ? DefaultTimeZoneId : TimeZone.Trim();
        if (string.Equals(id, DefaultTimeZoneId, StringComparison.OrdinalIgnoreCase))
        {
            return CaseIds.DefaultTimeZone;
        }

        if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
        {
            return zone;
        }

        throw new InvalidOperationException(
            string.Create(CultureInfo.InvariantCulture, $"Hotline:TimeZone '{id}' is not a known time zone id (use an IANA id such as Asia/Shanghai)."));
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        string? hoursError = null;
        try
        {
            _ = ParseWorkingHours();
        }
        catch (FormatException ex)
        {
            hoursError = ex.Message;
        }

        if (hoursError is not null)
        {
            yield return new ValidationResult(hoursError, [nameof(WorkingHours)]);
        }

        string? zoneError = null;
        try
        {
            _ = ResolveTimeZone();
        }
        catch (InvalidOperationException ex)
        {
            zoneError = ex.Message;
        }

        if (zoneError is not null)
        {
            yield return new ValidationResult(zoneError, [nameof(TimeZone)]);
        }
    }
}

/// <summary>One on-duty stretch of a working day, as offsets from local midnight (<see cref="End"/> may be 24:00).</summary>
public readonly record struct WorkingHoursRange(TimeSpan Start, TimeSpan End)
{
    public TimeSpan Duration => End - Start;

    /// <summary>Parses <c>HH:mm-HH:mm[,HH:mm-HH:mm...]</c>; an en dash or <c>~</c> may stand for the hyphen.</summary>
    public static IReadOnlyList<WorkingHoursRange> ParseList(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new FormatException("Hotline:Operators:WorkingHours is empty; expected e.g. \"09:00-17:30\" or \"09:00-12:00,13:30-17:30\".");
        }

        var ranges = new List<WorkingHoursRange>();
        foreach (var part in text.Split([',', '，', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var ends = part.Split(['-', '–', '~'], StringSplitOptions.TrimEntries);
            if (ends.Length != 2)
            {
                throw Error(text, $"'{part}' is not a range like 09:00-17:30");
            }

            var start = ParseTime(text, ends[0]);
            var end = ParseTime(text, ends[1]);
            if (start >= end)
            {
                throw Error(text, $"'{part}' ends before it starts (a range cannot cross midnight)");
            }

            if (start == TimeSpan.FromHours(24))
            {
                throw Error(text, $"'{part}' cannot start at 24:00");
            }

            if (ranges.Count > 0 && start < ranges[^1].End)
            {
                throw Error(text, $"'{part}' overlaps or precedes the range before it; list ranges in order");
            }

            ranges.Add(new WorkingHoursRange(start, end));
        }

        return ranges.Count > 0 ? ranges : throw Error(text, "no range given");
    }

    private static TimeSpan ParseTime(string whole, string value)
    {
        var pieces = value.Split(':');
        if (pieces.Length == 2
            && pieces[0].Length is 1 or 2 && pieces[1].Length == 2
            && int.TryParse(pieces[0], NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
            && int.TryParse(pieces[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)
            && minutes < 60
            && (hours < 24 || (hours == 24 && minutes == 0)))
        {
            return new TimeSpan(hours, minutes, 0);
        }

        throw Error(whole, $"'{value}' is not a time of day HH:mm (00:00 to 24:00)");
    }

    private static FormatException Error(string whole, string reason) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Hotline:Operators:WorkingHours \"{whole}\": {reason}."));

    /// <summary>"9:00–17:30".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Format(Start)}–{Format(End)}");

    private static string Format(TimeSpan time) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalHours}:{time.Minutes:D2}");
}
