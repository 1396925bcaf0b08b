using System.Globalization;
using System.Security.Claims;
using HotlineBot.Accounts;
using HotlineBot.Cases.Scheduling;
using HotlineBot.Dialogs.Emergency;
using HotlineBot.Dialogs.Replies;
using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Evaluation;
using HotlineBot.Knowledge.Publishing;
using HotlineBot.Knowledge.Search;
using HotlineBot.Knowledge.SmallTalk;
using HotlineBot.Knowledge.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using static HotlineBot.Accounts.AccountsApi;

namespace HotlineBot.Curation;

/// <summary>
/// The admins' knowledge API (admin role, bearer token or the console's cookie): list, read, create,
/// update (If-Match), retire, restore and history of policy entries; the audit; "test a question";
/// the review list; the regression questions. Every write goes through <see cref="KnowledgeEditor"/>:
/// the publishing guard, the versioned store, then the change notice that updates search at once.
/// </summary>
public static class KnowledgeApi
{
    public static IEndpointRouteBuilder MapKnowledgeApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var knowledge = app.MapGroup("/api/knowledge").RequireAuthorization(Policies.Admin);
        knowledge.MapGet("/", ListAsync);
        knowledge.MapGet("/categories", CategoriesAsync);
        knowledge.MapGet("/audit", AuditAsync);
        knowledge.MapGet("/review", ReviewAsync);
        knowledge.MapGet("/ask", Ask);
        knowledge.MapPost("/preview", PreviewAsync);
        knowledge.MapGet("/regression", RegressionListAsync);
        knowledge.MapPut("/regression/{id}", RegressionSaveAsync);
        knowledge.MapDelete("/regression/{id}", RegressionDeleteAsync);
        knowledge.MapPost("/regression/run", RegressionRunAsync);
        knowledge.MapPost("/", CreateAsync);
        knowledge.MapGet("/{id}", GetAsync);
        knowledge.MapPut("/{id}", UpdateAsync);
        knowledge.MapDelete("/{id}", RetireAsync);
        knowledge.MapPost("/{id}/restore", RestoreAsync);
        knowledge.MapGet("/{id}/history", HistoryAsync);
        return app;
    }

    public sealed record EntryList(IReadOnlyList<EntryView> Items, int Total);

    public sealed record CategoryView(string Id, int Count);

    public sealed record CategoryList(IReadOnlyList<CategoryView> Items, int Total);

    public sealed record RevisionView(string EntryId, int Version, string Kind, string Author, DateTimeOffset At, IReadOnlyList<FieldChange> Changes, EntryView Entry);

    public sealed record RevisionList(IReadOnlyList<RevisionView> Items, int Total);

    public sealed record RestoreRequest(int? Version);

    public sealed record PreviewView(string Text, IReadOnlyList<string> Actions);

    public sealed record CandidateView(string Id, string Question, double Confidence, string MatchedPhrasing, IReadOnlyList<string> MatchedTerms);

    public sealed record ReplyView(string Kind, string Text);

    public sealed record AskView(string Question, string Normalized, string Band, string Reason, double Confidence, IReadOnlyList<CandidateView> Candidates, ReplyView Reply);

    public sealed record RegressionCaseView(string Id, string? Topic, string Kind, string Q, IReadOnlyList<IReadOnlyList<string>> Expect);

    public sealed record RegressionList(IReadOnlyList<RegressionCaseView> Items, int Total);

    public sealed record RegressionCaseInput(string? Topic, string? Kind, string? Q, IReadOnlyList<IReadOnlyList<string>>? Expect);

    /// <summary>A failed regression question: what it wanted (kind and keyword groups) and what the reply was.</summary>
    public sealed record FailureView(string CaseId, string Question, string Want, IReadOnlyList<IReadOnlyList<string>> Expect, string Got, string? EntryId, double? Confidence, string Reply);

    public sealed record RegressionReport(int Passed, int Judged, int Skipped, string ScoreLine, IReadOnlyList<FailureView> Failures);

    public sealed record InvalidField(string Error, string Message, string? Field);

    public sealed record Stale(string Error, string Message, int CurrentVersion);

    public sealed record Refused(string Error, string Message, IReadOnlyList<FailureView> Failures);

    private static readonly string[] RegressionKinds = ["answer", "fallback", "handoff", "emergency", "clarify", "smalltalk"];

    internal static async Task<IResult> ListAsync(IKnowledgeStore store, KnowledgeClock clock, CancellationToken cancellationToken,
        string? query = null, string? category = null, string? status = null, int page = 1, int pageSize = 20)
    {
        if (InvalidPaging(page, pageSize) is { } invalidPaging)
        {
            return invalidPaging;
        }

        EntryStatus? statusFilter = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            statusFilter = EntryInput.ParseStatus(status);
            if (statusFilter is null)
            {
                return Invalid("status", "invalid_status", "状态只能是 draft、published 或 retired。");
            }
        }

        var result = await store.ListAsync(new KnowledgeQuery { Text = query, Category = string.IsNullOrWhiteSpace(category) ? null : category.Trim(), Status = statusFilter, Page = page, PageSize = pageSize }, cancellationToken);
        var today = clock.Today;
        return TypedResults.Ok(new EntryList([.. result.Items.Select(e => EntryView.From(e, today))], result.Total));
    }

    internal static async Task<IResult> CategoriesAsync(IKnowledgeStore store, CancellationToken cancellationToken)
    {
        var entries = await SearchSynchronizer.ReadAllAsync(store, cancellationToken);
        var categories = entries.GroupBy(e => e.Category, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new CategoryView(g.Key, g.Count())).ToList();
        return TypedResults.Ok(new CategoryList(categories, categories.Count));
    }

    internal static async Task<IResult> GetAsync(string id, HttpContext http, IKnowledgeStore store, KnowledgeClock clock, CancellationToken cancellationToken)
    {
        var entry = await store.GetAsync(id, cancellationToken);
        return entry is null ? NotFound(id) : Entry(http, entry, clock);
    }

    internal static async Task<IResult> CreateAsync(HttpContext http, ClaimsPrincipal user, KnowledgeEditor editor, KnowledgeClock clock, CancellationToken cancellationToken, bool force = false)
    {
        var (input, problem) = await EntryInput.ReadAsync(http.Request, cancellationToken);
        if (problem is not null)
        {
            return Invalid(problem);
        }

        var (entry, invalid) = input!.ToEntry(null, clock.Today);
        if (invalid is not null)
        {
            return Invalid(invalid);
        }

        return await WriteAsync(http, entry!.Id, clock, async () => await editor.CreateAsync(entry, UserName(user), force, cancellationToken), created: true);
    }

    internal static async Task<IResult> UpdateAsync(string id, HttpContext http, ClaimsPrincipal user, IKnowledgeStore store, KnowledgeEditor editor, KnowledgeClock clock, CancellationToken cancellationToken, bool force = false)
    {
        if (IfMatch(http.Request) is not { } expected)
        {
            return IfMatchRequired();
        }

        var (input, problem) = await EntryInput.ReadAsync(http.Request, cancellationToken);
        if (problem is not null)
        {
            return Invalid(problem);
        }

        if (input!.Id is { Length: > 0 } bodyId && !string.Equals(bodyId.Trim(), id, StringComparison.Ordinal))
        {
            return Invalid("id", "id_mismatch", "条目的 id 不能修改。");
        }

        var current = await store.GetAsync(id, cancellationToken);
        if (current is null)
        {
            return NotFound(id);
        }

        if (current.Version != expected)
        {
            return StaleVersion(current.Version);
        }

        var (entry, invalid) = (input with { Id = id }).ToEntry(current, clock.Today);
        if (invalid is not null)
        {
            return Invalid(invalid);
        }

        return await WriteAsync(http, id, clock, () => editor.UpdateAsync(entry!, expected, UserName(user), force, cancellationToken));
    }

    internal static Task<IResult> RetireAsync(string id, HttpContext http, ClaimsPrincipal user, KnowledgeEditor editor, KnowledgeClock clock, CancellationToken cancellationToken, bool force = false) =>
        WriteAsync(http, id, clock, () => editor.RetireAsync(id, IfMatch(http.Request), UserName(user), force, cancellationToken));

    internal static async Task<IResult> RestoreAsync(string id, RestoreRequest? request, HttpContext http, ClaimsPrincipal user, KnowledgeEditor editor, KnowledgeClock clock, CancellationToken cancellationToken, bool force = false)
    {
        if (IfMatch(http.Request) is not { } expected)
        {
            return IfMatchRequired();
        }

        if (request?.Version is not { } version || version < 1)
        {
            return Invalid("version", "invalid_version", "请指定要恢复的版本号。");
        }

        return await WriteAsync(http, id, clock, () => editor.RestoreAsync(id, version, expected, UserName(user), force, cancellationToken));
    }

    internal static async Task<IResult> HistoryAsync(string id, IKnowledgeStore store, KnowledgeClock clock, CancellationToken cancellationToken)
    {
        var history = await store.HistoryAsync(id, cancellationToken);
        return history.Count == 0 ? NotFound(id) : TypedResults.Ok(Revisions(history, history.Count, clock.Today));
    }

    internal static async Task<IResult> AuditAsync(IKnowledgeStore store, KnowledgeClock clock, CancellationToken cancellationToken, string? author = null, string? entryId = null, int page = 1, int pageSize = 50)
    {
        if (InvalidPaging(page, pageSize) is { } invalidPaging)
        {
            return invalidPaging;
        }

        var result = await store.AuditAsync(new AuditQuery { Author = string.IsNullOrWhiteSpace(author) ? null : author, EntryId = string.IsNullOrWhiteSpace(entryId) ? null : entryId, Page = page, PageSize = pageSize }, cancellationToken);
        return TypedResults.Ok(Revisions(result.Items, result.Total, clock.Today));
    }

    internal static async Task<IResult> ReviewAsync(IKnowledgeStore store, KnowledgeClock clock, CancellationToken cancellationToken)
    {
        var today = clock.Today;
        var due = (await ReviewDueAsync(store, today, cancellationToken)).Select(e => EntryView.From(e, today)).ToList();
        return TypedResults.Ok(new EntryList(due, due.Count));
    }

    /// <summary>Entries in force whose review date has come, the longest overdue first.</summary>
    internal static async Task<IReadOnlyList<PolicyEntry>> ReviewDueAsync(IKnowledgeStore store, DateOnly today, CancellationToken cancellationToken) =>
        [.. (await SearchSynchronizer.ReadAllAsync(store, cancellationToken))
            .Where(e => EntryView.IsReviewDue(e, today))
            .OrderBy(e => e.ReviewBy)
            .ThenBy(e => e.Id, StringComparer.Ordinal)];

    internal static async Task<IResult> PreviewAsync(HttpContext http, HotlineReplies replies, KnowledgeClock clock, CancellationToken cancellationToken)
    {
        var (input, problem) = await EntryInput.ReadAsync(http.Request, cancellationToken);
        if (problem is not null)
        {
            return Invalid(problem);
        }

        // A preview needs only the answer; the other required fields are filled so the rules are satisfied.
        var (entry, invalid) = (input! with { Id = null, Question = input.Question ?? "preview", Category = input.Category ?? "preview" }).ToEntry(null, clock.Today);
        if (invalid is not null)
        {
            return Invalid(invalid);
        }

        var reply = replies.Answer(entry! with { Id = "preview" }, 1);
        return TypedResults.Ok(new PreviewView(reply.Text ?? string.Empty, [.. reply.SuggestedActions?.Actions.Select(a => a.Title ?? string.Empty) ?? []]));
    }

    /// <summary>What the bot would do with a question, with the search's evidence: emergencies and small talk come first, as in the bot.</summary>
    internal static IResult Ask(IPolicySearch search, HotlineReplies replies, EmergencyDetector emergencies, SmallTalkMatcher smallTalk, string? q = null)
    {
        if (string.IsNullOrWhiteSpace(q))
        {
            return Invalid("q", "missing_question", "请输入要测试的问题。");
        }

        if (q.Length > EntryInput.MaxAnswerLength)
        {
            return Invalid("q", "question_too_long", $"问题最多{EntryInput.MaxAnswerLength}个字。");
        }

        var result = search.Search(q);
        var reply = emergencies.Detect(q) is { } emergency ? HotlineReplies.Emergency(emergency, null)
            : smallTalk.Match(q) is { } talk ? HotlineReplies.SmallTalk(talk.Reply)
            : result.Band switch
            {
                SearchBand.Answer => replies.Answer(result.Candidates[0].Entry, result.Confidence),
                SearchBand.Clarify => HotlineReplies.Clarify([.. result.Candidates.Take(3).Select(c => c.Entry)], result.Confidence),
                _ => HotlineReplies.Fallback(FallbackReason.NoAnswer, result.Confidence),
            };
        return TypedResults.Ok(new AskView(
            q,
            result.Normalized,
            result.Band.ToString().ToLowerInvariant(),
            result.Reason,
            result.Confidence,
            [.. result.Candidates.Select(c => new CandidateView(c.Entry.Id, c.Entry.Question, c.Confidence, c.MatchedPhrasing, c.MatchedTerms))],
            new ReplyView(reply.GetHotlineMetadata()?.Kind ?? string.Empty, ReplyText(reply))));
    }

    internal static async Task<IResult> RegressionListAsync(IRegressionCaseStore cases, CancellationToken cancellationToken)
    {
        var all = await cases.ListAsync(cancellationToken);
        return TypedResults.Ok(new RegressionList([.. all.Select(c => new RegressionCaseView(c.Id, c.Topic, c.Kind, c.Question, c.KeywordGroups))], all.Count));
    }

    internal static async Task<IResult> RegressionSaveAsync(string id, RegressionCaseInput? input, IRegressionCaseStore cases, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > EntryInput.MaxShortText)
        {
            return Invalid("id", "invalid_id", $"编号不能为空，最多{EntryInput.MaxShortText}个字符。");
        }

        if (input?.Kind is not { } kind || !RegressionKinds.Contains(kind))
        {
            return Invalid("kind", "invalid_kind", $"kind 只能是 {string.Join("、", RegressionKinds)}。");
        }

        if (string.IsNullOrWhiteSpace(input.Q) || input.Q.Length > EntryInput.MaxQuestionLength)
        {
            return Invalid("q", "invalid_question", $"请填写问题，最多{EntryInput.MaxQuestionLength}个字。");
        }

        var expect = input.Expect ?? [];
        if (expect.Any(group => group is null || group.Count == 0 || group.Any(string.IsNullOrWhiteSpace)))
        {
            return Invalid("expect", "invalid_expect", "expect 是关键词组的列表，每组至少一个非空关键词。");
        }

        var saved = new EvalCase(id, input.Topic, kind, input.Q.Trim(), expect);
        await cases.SaveAsync(saved, cancellationToken);
        return TypedResults.Ok(new RegressionCaseView(saved.Id, saved.Topic, saved.Kind, saved.Question, saved.KeywordGroups));
    }

    internal static async Task<IResult> RegressionDeleteAsync(string id, IRegressionCaseStore cases, CancellationToken cancellationToken) =>
        await cases.DeleteAsync(id, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.NotFound(new ApiError("not_found", $"没有回归问题 {id}。"));

    internal static async Task<IResult> RegressionRunAsync(PublishingGuard guard, CancellationToken cancellationToken)
    {
        var report = await guard.RunAsync(cancellationToken);
        return TypedResults.Ok(new RegressionReport(report.Passed, report.Judged, report.Skipped, report.ScoreLine, [.. report.Failures.Select(Failure)]));
    }

    internal static FailureView Failure(EvalFailure failure) => new(
        failure.Case.Id,
        failure.Case.Question,
        failure.Case.Kind,
        failure.Case.KeywordGroups,
        failure.Outcome.Kinds.Count == 0 ? "nothing" : string.Join(",", failure.Outcome.Kinds),
        failure.Outcome.EntryId,
        failure.Outcome.Confidence,
        failure.Outcome.Text.Length > MaxReplyExcerpt ? failure.Outcome.Text[..MaxReplyExcerpt] + "…" : failure.Outcome.Text);

    /// <summary>How much of a failed question's reply is shown.</summary>
    private const int MaxReplyExcerpt = 300;

    /// <summary>Runs a write and answers the entry, or the error in the API's shape.</summary>
    private static async Task<IResult> WriteAsync(HttpContext http, string id, KnowledgeClock clock, Func<Task<PolicyEntry>> write, bool created = false)
    {
        try
        {
            var entry = await write();
            if (!created)
            {
                return Entry(http, entry, clock);
            }

            http.Response.Headers.ETag = ETag(entry.Version);
            return TypedResults.Created($"/api/knowledge/{entry.Id}", EntryView.From(entry, clock.Today));
        }
        catch (KnowledgeEntryNotFoundException)
        {
            return NotFound(id);
        }
        catch (KnowledgeEntryExistsException e)
        {
            return TypedResults.Conflict(new InvalidField("exists", $"已有 id 为 {e.EntryId} 的条目（停用的也算）。", "id"));
        }
        catch (KnowledgeConcurrencyException e)
        {
            return StaleVersion(e.StoredVersion);
        }
        catch (KnowledgeValidationException e)
        {
            return Invalid(null, "invalid", string.Join("；", e.Problems));
        }
        catch (PublishingRefusedException e)
        {
            return TypedResults.Json(
                new Refused("regression", $"这次修改会让{e.Failures.Count}个回归问题答错，未保存。确认无误可强制发布。", [.. e.Failures.Select(Failure)]),
                statusCode: StatusCodes.Status422UnprocessableEntity);
        }
    }

    private static Ok<EntryView> Entry(HttpContext http, PolicyEntry entry, KnowledgeClock clock)
    {
        http.Response.Headers.ETag = ETag(entry.Version);
        return TypedResults.Ok(EntryView.From(entry, clock.Today));
    }

    private static RevisionList Revisions(IReadOnlyList<EntryRevision> revisions, int total, DateOnly today) =>
        new([.. revisions.Select(r => new RevisionView(r.EntryId, r.Version, r.Kind.ToString().ToLowerInvariant(), r.Author, r.At, r.Changes, EntryView.From(r.Entry, today)))], total);

    private static string ReplyText(BotFramework.Schema.Activity reply)
    {
        var actions = reply.SuggestedActions?.Actions.Select(a => a.Title).Where(t => !string.IsNullOrEmpty(t)).ToList() ?? [];
        return actions.Count == 0 ? reply.Text ?? string.Empty : $"{reply.Text}\n[{string.Join("] [", actions)}]";
    }

    internal static string ETag(int version) => "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";

    /// <summary>The version an If-Match header names ("3", W/"3" or 3); null when there is none or it is not a version.</summary>
    private static int? IfMatch(HttpRequest request)
    {
        var value = request.Headers[HeaderNames.IfMatch].ToString().Trim();
        if (value.StartsWith("W/", StringComparison.Ordinal))
        {
            value = value[2..];
        }

        return int.TryParse(value.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : null;
    }

    private static JsonHttpResult<ApiError> IfMatchRequired() => TypedResults.Json(
        new ApiError("if_match_required", "请带上 If-Match 头（读取条目时的版本，如 \"3\"），以免覆盖别人的修改。"),
        statusCode: StatusCodes.Status428PreconditionRequired);

    private static JsonHttpResult<Stale> StaleVersion(int current) => TypedResults.Json(
        new Stale("stale", $"条目已被他人修改（当前版本 {current}），未保存。请重新打开后再改。", current),
        statusCode: StatusCodes.Status412PreconditionFailed);

    private static BadRequest<InvalidField>? InvalidPaging(int page, int pageSize) =>
        page < 1 || pageSize < 1 || pageSize > KnowledgeQuery.MaxPageSize
            ? Invalid(null, "invalid_paging", $"page 从1开始，pageSize 为1到{KnowledgeQuery.MaxPageSize}。")
            : null;

    private static BadRequest<InvalidField> Invalid(FieldProblem problem) => Invalid(problem.Field, "invalid", problem.Message);

    private static BadRequest<InvalidField> Invalid(string? field, string error, string message) => TypedResults.BadRequest(new InvalidField(error, message, field));

    private static NotFound<ApiError> NotFound(string id) => TypedResults.NotFound(new ApiError("not_found", $"没有条目 {id}。"));

}

/// <summary>Today's date in the hotline's time zone: when reviews fall due and the default dates of a new entry.</summary>
public sealed class KnowledgeClock(TimeProvider time, WorkingCalendar calendar)
{
    public DateOnly Today => DateOnly.FromDateTime(calendar.ToLocal(time.GetUtcNow()).DateTime);
}
