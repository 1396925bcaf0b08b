using System.Globalization;

namespace HotlineBot.Cases.Scheduling;

/// <summary>
/// The official holiday and make-up-day schedule (放假调休), one entry per year, from
/// <c>seeds/calendar.yaml</c>. A day is a working day when it is a listed make-up day, else when it
/// is not a listed holiday and falls Monday–Friday. A year with no data falls back to Monday–Friday.
/// </summary>
public sealed class HolidayCalendar
{
    private readonly Dictionary<int, HolidayYear> _years;

    public HolidayCalendar(IEnumerable<HolidayYear> years)
    {
        ArgumentNullException.ThrowIfNull(years);
        _years = [];
        foreach (var year in years)
        {
            if (!_years.TryAdd(year.Year, year))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Year {year.Year} is listed twice."), nameof(years));
            }
        }
    }

    /// <summary>No holiday data: plain Monday–Friday.</summary>
    public static HolidayCalendar Empty { get; } = new([]);

    /// <summary>The years in the file, with data or not, in order.</summary>
    public IReadOnlyList<HolidayYear> Years => [.. _years.Values.OrderBy(y => y.Year)];

    /// <summary>Whether <paramref name="year"/> has official dates (else the calendar is Monday–Friday for it).</summary>
    public bool HasData(int year) => _years.TryGetValue(year, out var entry) && entry.HasData;

    public bool IsHoliday(DateOnly day) => _years.TryGetValue(day.Year, out var entry) && entry.Holidays.Contains(day);

    public bool IsMakeUpWorkday(DateOnly day) => _years.TryGetValue(day.Year, out var entry) && entry.Workdays.Contains(day);

    public bool IsWorkingDay(DateOnly day) =>
        IsMakeUpWorkday(day) || (!IsHoliday(day) && day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));

    public static HolidayCalendar Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>
    /// Reads the calendar format (a small YAML subset, see seeds/calendar.yaml):
    /// <code>
    /// 2025:
    ///   source: 国务院办公厅关于2025年部分节假日安排的通知
    ///   holidays:
    ///     - 2025-01-01
    ///     - 2025-01-28..2025-02-04
    ///   workdays: [2025-01-26, 2025-02-08]
    /// </code>
    /// Errors are <see cref="FormatException"/>s naming the file and line.
    /// </summary>
    public static HolidayCalendar Parse(string text, string sourceName = "calendar.yaml")
    {
        ArgumentNullException.ThrowIfNull(text);
        var builders = new List<YearBuilder>();
        YearBuilder? year = null;
        List<(DateOnly From, DateOnly To)>? list = null;
        var lineNumber = 0;

        FormatException Error(string reason) =>
            new(string.Create(CultureInfo.InvariantCulture, $"{sourceName}, line {lineNumber}: {reason}"));

        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = StripComment(rawLine.TrimEnd('\r'));
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var indent = line.Length - line.TrimStart().Length;
            var content = line.Trim();
            if (line.Contains('\t', StringComparison.Ordinal))
            {
                throw Error("tabs are not allowed; indent with spaces");
            }

            if (indent == 0)
            {
                if (!content.EndsWith(':')
                    || !int.TryParse(content[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                    || number is < 1949 or > 2200)
                {
                    throw Error($"expected a year such as \"2026:\", found \"{content}\"");
                }

                if (builders.Any(b => b.Year == number))
                {
                    throw Error(string.Create(CultureInfo.InvariantCulture, $"year {number} is listed twice"));
                }

                year = new YearBuilder(number, lineNumber);
                builders.Add(year);
                list = null;
                continue;
            }

            if (year is null)
            {
                throw Error("indented line before any year");
            }

            if (content.StartsWith('-'))
            {
                if (list is null)
                {
                    throw Error("list item outside 'holidays:' or 'workdays:'");
                }

                list.Add(ParseDateOrRange(content[1..].Trim(), year.Year, Error));
                continue;
            }

            var colon = content.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw Error($"expected 'source:', 'holidays:' or 'workdays:', found \"{content}\"");
            }

            var key = content[..colon].Trim();
            var value = content[(colon + 1)..].Trim();
            switch (key)
            {
                case "source":
                    year.Source = Unquote(value);
                    list = null;
                    break;
                case "holidays" or "workdays":
                    list = key == "holidays" ? year.Holidays : year.Workdays;
                    if (value.Length > 0)
                    {
                        if (!value.StartsWith('[') || !value.EndsWith(']'))
                        {
                            throw Error($"'{key}:' takes a list: items on the following lines, or [a, b]");
                        }

                        foreach (var item in value[1..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                        {
                            list.Add(ParseDateOrRange(item, year.Year, Error));
                        }

                        list = null;
                    }

                    break;
                default:
                    throw Error($"unknown key '{key}' (expected source, holidays or workdays)");
            }
        }

        return new HolidayCalendar(builders.Select(b => b.Build(sourceName)));
    }

    private static (DateOnly From, DateOnly To) ParseDateOrRange(string item, int year, Func<string, FormatException> error)
    {
        item = Unquote(item);
        var parts = item.Split("..", StringSplitOptions.TrimEntries);
        if (parts.Length is not (1 or 2))
        {
            throw error($"\"{item}\" is not a date (2026-01-01) or a range (2026-02-15..2026-02-23)");
        }

        var from = ParseDate(parts[0], error);
        var to = parts.Length == 2 ? ParseDate(parts[1], error) : from;
        if (to < from)
        {
            throw error($"range \"{item}\" ends before it starts");
        }

        if (from.Year != year || to.Year != year)
        {
            throw error(string.Create(CultureInfo.InvariantCulture, $"\"{item}\" is not in {year}; list each date under its own year"));
        }

        return (from, to);
    }

    private static DateOnly ParseDate(string text, Func<string, FormatException> error) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw error($"\"{text}\" is not a valid date yyyy-MM-dd");

    private static string StripComment(string line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1])))
            {
                return line[..i];
            }
        }

        return line;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0] ? value[1..^1] : value;

    private sealed class YearBuilder(int year, int line)
    {
        public int Year { get; } = year;

        public string? Source { get; set; }

        public List<(DateOnly From, DateOnly To)> Holidays { get; } = [];

        public List<(DateOnly From, DateOnly To)> Workdays { get; } = [];

        public HolidayYear Build(string sourceName)
        {
            var holidays = Expand(Holidays);
            var workdays = Expand(Workdays);
            FormatException Error(string reason) =>
                new(string.Create(CultureInfo.InvariantCulture, $"{sourceName}, year {Year} (line {line}): {reason}"));

            foreach (var day in workdays)
            {
                if (holidays.Contains(day))
                {
                    throw Error(string.Create(CultureInfo.InvariantCulture, $"{day:yyyy-MM-dd} is both a holiday and a make-up workday"));
                }

                if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
                {
                    throw Error(string.Create(CultureInfo.InvariantCulture, $"make-up workday {day:yyyy-MM-dd} is a {day.DayOfWeek}, already a working day"));
                }
            }

            if ((holidays.Count > 0 || workdays.Count > 0) && string.IsNullOrWhiteSpace(Source))
            {
                throw Error("dates are listed without 'source:' naming the State Council notice");
            }

            return new HolidayYear(Year, Source, holidays, workdays);
        }

        private static HashSet<DateOnly> Expand(List<(DateOnly From, DateOnly To)> ranges)
        {
            var days = new HashSet<DateOnly>();
            foreach (var (from, to) in ranges)
            {
                for (var day = from; day <= to; day = day.AddDays(1))
                {
                    days.Add(day);
                }
            }

            return days;
        }
    }
}

/// <summary>One year of the official schedule: holidays (放假, weekends inside a holiday included) and make-up workdays (调休上班).</summary>
public sealed record HolidayYear(int Year, string? Source, IReadOnlySet<DateOnly> Holidays, IReadOnlySet<DateOnly> Workdays)
{
    public bool HasData => Holidays.Count > 0 || Workdays.Count > 0;
}
