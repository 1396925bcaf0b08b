using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using HotlineBot.Knowledge.Entries;

namespace HotlineBot.Curation;

/// <summary>
/// An entry as an admin sends it (POST creates, PUT replaces). Only question, answer and category are
/// required; on create the rest take defaults (region national, effectiveFrom today, reviewBy a year
/// later, status published), on update the fields left out keep their current values.
/// </summary>
public sealed record EntryInput
{
    public const int MaxQuestionLength = 300;
    public const int MaxAnswerLength = 5000;
    public const int MaxAlternates = 300;
    public const int MaxTags = 30;
    public const int MaxShortText = 100;

    public string? Id { get; init; }

    public string? Question { get; init; }

    public IReadOnlyList<string?>? Alternates { get; init; }

    public string? Answer { get; init; }

    public string? Category { get; init; }

    public IReadOnlyList<SourceInput?>? Sources { get; init; }

    public IReadOnlyList<string?>? Tags { get; init; }

    public string? Region { get; init; }

    public string? EffectiveFrom { get; init; }

    public string? ReviewBy { get; init; }

    public string? Status { get; init; }

    public sealed record SourceInput(string? Title, string? Article);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    /// <summary>The request body as an input, or the field the JSON broke at.</summary>
    public static async Task<(EntryInput? Input, FieldProblem? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var input = await JsonSerializer.DeserializeAsync<EntryInput>(request.Body, Json, cancellationToken);
            return input is null ? (null, new FieldProblem(null, "请求体应是一个条目（JSON 对象）。")) : (input, null);
        }
        catch (JsonException e)
        {
            var field = e.Path is { Length: > 2 } path ? path[2..] : null;
            return (null, new FieldProblem(field, field is null ? "请求体不是有效的 JSON。" : $"字段 {field} 的格式不对。"));
        }
    }

    /// <summary>The entry this input makes, over <paramref name="current"/> when it updates one; or the first problem, naming its field.</summary>
    public (PolicyEntry? Entry, FieldProblem? Problem) ToEntry(PolicyEntry? current, DateOnly today)
    {
        var problems = new List<FieldProblem>();
        var id = (Id ?? current?.Id ?? string.Empty).Trim();
        if (id.Length > 0 && !EntryRules.IsSlug(id))
        {
            problems.Add(new("id", "id 只能用小写字母、数字和单个连字符（如 overtime-pay），最长80个字符；也可以留空自动生成。"));
        }

        var question = Required("question", Question ?? current?.Question, MaxQuestionLength, "问题", problems);
        var answer = Required("answer", Answer ?? current?.Answer, MaxAnswerLength, "答案", problems);
        var category = (Category ?? current?.Category)?.Trim() ?? string.Empty;
        if (category.Length == 0)
        {
            problems.Add(new("category", "请选择分类。"));
        }
        else if (!EntryRules.IsSlug(category))
        {
            problems.Add(new("category", "分类只能用小写字母、数字和连字符（如 wages）。"));
        }

        var alternates = Alternates is null ? current?.Alternates ?? [] : List("alternates", Alternates, MaxAlternates, MaxQuestionLength, "相似问法", problems);
        var tags = Tags is null ? current?.Tags ?? [] : List("tags", Tags, MaxTags, MaxShortText, "标签", problems);
        var sources = Sources is null ? current?.Sources ?? [] : SourceList(problems);
        var region = (Region ?? current?.Region)?.Trim() is { Length: > 0 } r ? r : PolicyEntry.NationalRegion;
        if (region.Length > MaxShortText)
        {
            problems.Add(new("region", $"地区最多{MaxShortText}个字。"));
        }

        var effectiveFrom = Date("effectiveFrom", EffectiveFrom, problems) ?? current?.EffectiveFrom ?? today;
        var reviewBy = Date("reviewBy", ReviewBy, problems) ?? current?.ReviewBy ?? (effectiveFrom > today ? effectiveFrom : today).AddYears(1);
        if (reviewBy < effectiveFrom)
        {
            problems.Add(new("reviewBy", "复核日期不能早于生效日期。"));
        }

        var status = current?.Status ?? EntryStatus.Published;
        if (Status is not null)
        {
            if (ParseStatus(Status) is { } parsed)
            {
                status = parsed;
            }
            else
            {
                problems.Add(new("status", "状态只能是 draft（草稿）、published（已发布）或 retired（已停用）。"));
            }
        }

        if (problems.Count > 0)
        {
            return (null, problems[0]);
        }

        return (new PolicyEntry
        {
            Id = id,
            Question = question!,
            Alternates = alternates,
            Answer = answer!,
            Category = category,
            Sources = sources,
            Tags = tags,
            Region = region,
            EffectiveFrom = effectiveFrom,
            ReviewBy = reviewBy,
            Status = status,
            Version = current?.Version ?? 1,
        }, null);
    }

    public static EntryStatus? ParseStatus(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "draft" => EntryStatus.Draft,
        "published" => EntryStatus.Published,
        "retired" => EntryStatus.Retired,
        _ => null,
    };

    public static string StatusName(EntryStatus status) => status.ToString().ToLowerInvariant();

    private static string? Required(string field, string? value, int maxLength, string label, List<FieldProblem> problems)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            problems.Add(new(field, $"请填写{label}。"));
            return null;
        }

        if (text.Length > maxLength)
        {
            problems.Add(new(field, $"{label}最多{maxLength}个字。"));
        }

        return text;
    }

    private static List<string> List(string field, IReadOnlyList<string?> values, int maxCount, int maxLength, string label, List<FieldProblem> problems)
    {
        if (values.Count > maxCount)
        {
            problems.Add(new(field, $"{label}最多{maxCount}条。"));
        }

        var items = new List<string>(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            var text = values[i]?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                problems.Add(new($"{field}[{i}]", $"第{i + 1}条{label}是空的。"));
            }
            else if (text.Length > maxLength)
            {
                problems.Add(new($"{field}[{i}]", $"第{i + 1}条{label}最多{maxLength}个字。"));
            }
            else if (!items.Contains(text, StringComparer.Ordinal))
            {
                items.Add(text);
            }
        }

        return items;
    }

    private List<EntrySource> SourceList(List<FieldProblem> problems)
    {
        var sources = new List<EntrySource>();
        for (var i = 0; i < Sources!.Count; i++)
        {
            var title = Sources[i]?.Title?.Trim();
            if (string.IsNullOrEmpty(title))
            {
                problems.Add(new($"sources[{i}].title", $"第{i + 1}条依据缺少法规名称。"));
                continue;
            }

            var article = Sources[i]?.Article?.Trim();
            if (title.Length > MaxShortText || article?.Length > MaxShortText)
            {
                problems.Add(new($"sources[{i}]", $"第{i + 1}条依据的名称和条款各最多{MaxShortText}个字。"));
                continue;
            }

            sources.Add(new EntrySource(title, string.IsNullOrEmpty(article) ? null : article));
        }

        return sources;
    }

    private static DateOnly? Date(string field, string? value, List<FieldProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        problems.Add(new(field, "日期格式应为 yyyy-MM-dd，如 2026-01-01。"));
        return null;
    }
}

/// <summary>What is wrong with a request, and the field (as named in the entry schema) it is wrong in.</summary>
public sealed record FieldProblem(string? Field, string Message);

/// <summary>An entry as the API shows it: the schema's fields, the status by name, and whether its review is due.</summary>
public sealed record EntryView(
    string Id,
    string Question,
    IReadOnlyList<string> Alternates,
    string Answer,
    string Category,
    IReadOnlyList<EntrySource> Sources,
    IReadOnlyList<string> Tags,
    string Region,
    DateOnly EffectiveFrom,
    DateOnly ReviewBy,
    string Status,
    int Version,
    bool ReviewDue)
{
    public static EntryView From(PolicyEntry entry, DateOnly today) => new(
        entry.Id, entry.Question, entry.Alternates, entry.Answer, entry.Category, entry.Sources, entry.Tags, entry.Region,
        entry.EffectiveFrom, entry.ReviewBy, EntryInput.StatusName(entry.Status), entry.Version, IsReviewDue(entry, today));

    public static bool IsReviewDue(PolicyEntry entry, DateOnly today) => entry.Status != EntryStatus.Retired && entry.ReviewBy <= today;
}
