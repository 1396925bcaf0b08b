using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using HotlineBot.Accounts;
using HotlineBot.Cases;
using HotlineBot.Cases.Workflow;
using HotlineBot.FollowUps;
using static HotlineBot.Accounts.AccountsApi;

namespace HotlineBot.Casework;

/// <summary>
/// The operators' case API (operator or admin role): the queue, a case with its transcript, and the
/// actions on it. Phone numbers appear masked; the callback number in clear only through
/// <c>POST /api/cases/{id}/phone</c>, for the operator who holds the case, and the reveal is recorded.
/// </summary>
public static class CasesApi
{
    private const int DefaultPageSize = 50;

    public static IEndpointRouteBuilder MapCasesApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var cases = app.MapGroup("/api/cases").RequireAuthorization(Policies.Operator);
        cases.MapGet("/", ListAsync);
        cases.MapGet("/{id}", GetAsync);
        cases.MapPost("/{id}/claim", (string id, ClaimsPrincipal user, CaseWorkflow workflow, CancellationToken ct) =>
            ActAsync(id, user, () => workflow.ClaimAsync(id, UserName(user), IsAdmin(user), ct)));
        cases.MapPost("/{id}/messages", SendAsync);
        cases.MapPost("/{id}/resolve", (string id, ResolveRequest? request, ClaimsPrincipal user, CaseWorkflow workflow, CancellationToken ct) =>
            string.IsNullOrWhiteSpace(request?.Resolution) ? Task.FromResult<IResult>(Invalid("missing_resolution", "请填写处理结果。"))
            : TooLong(request.Resolution) ?? ActAsync(id, user, () => workflow.ResolveAsync(id, UserName(user), request.Resolution, IsAdmin(user), ct)));
        cases.MapPost("/{id}/reopen", (string id, ReopenRequest? request, ClaimsPrincipal user, CaseWorkflow workflow, CancellationToken ct) =>
            TooLong(request?.Reason) ?? ActAsync(id, user, () => workflow.ReopenAsync(id, UserName(user), string.IsNullOrWhiteSpace(request?.Reason) ? "工作人员重新打开" : request.Reason, ct)));
        cases.MapPost("/{id}/phone", RevealPhoneAsync);
        app.MapGet("/api/notifications", Notifications).RequireAuthorization(Policies.Operator);
        return app;
    }

    public sealed record MessageRequest(string? Text);

    public sealed record ResolveRequest(string? Resolution);

    public sealed record ReopenRequest(string? Reason);

    public sealed record MessageAccepted(string DeliveryId, string State);

    public sealed record PhoneView(string? Phone);

    public sealed record CaseList(IReadOnlyList<CaseSummaryView> Items, int Total);

    public sealed record NotificationView(long Id, DateTimeOffset At, string CaseId, string Audience, string Kind, string Text);

    public sealed record NotificationList(IReadOnlyList<NotificationView> Items, int Total);

    internal static async Task<IResult> ListAsync(ICaseStore store, CancellationToken cancellationToken, string? status = null, int page = 1, int pageSize = DefaultPageSize)
    {
        if (page < 1 || pageSize < 1 || pageSize > CaseQuery.MaxPageSize)
        {
            return Invalid("invalid_paging", $"page 从1开始，pageSize 为1到{CaseQuery.MaxPageSize}。");
        }

        IReadOnlyCollection<CaseStatus> statuses = CaseStatuses.Open;
        if (!string.IsNullOrWhiteSpace(status))
        {
            var parsed = new List<CaseStatus>();
            foreach (var name in status.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (CaseViews.ParseStatus(name) is not { } s)
                {
                    return Invalid("invalid_status", $"未知的状态“{name}”；可用：{string.Join("、", CaseViews.StatusNames)}。");
                }

                parsed.Add(s);
            }

            statuses = parsed;
        }

        var result = await store.ListAsync(new CaseQuery(statuses, page, pageSize), cancellationToken);
        return TypedResults.Ok(new CaseList([.. result.Items.Select(CaseSummaryView.From)], result.Total));
    }

    internal static async Task<IResult> GetAsync(string id, ClaimsPrincipal user, ICaseStore store, CancellationToken cancellationToken)
    {
        var found = await store.GetAsync(id, cancellationToken);
        return found is null ? NotFound(id) : TypedResults.Ok(CaseDetailView.From(found, UserName(user), IsAdmin(user)));
    }

    internal static async Task<IResult> SendAsync(string id, MessageRequest? request, ClaimsPrincipal user, CaseWorkflow workflow, CancellationToken cancellationToken)
    {
        var text = request?.Text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return Invalid("missing_text", "请输入要发给职工的内容。");
        }

        if (TooLong(text) is { } tooLong)
        {
            return await tooLong;
        }

        CaseDelivery? delivery = null;
        var result = await ActAsync(id, user, async () =>
        {
            (var c, delivery) = await workflow.SendOperatorMessageAsync(id, UserName(user), text, cancellationToken);
            return c;
        });
        return delivery is null
            ? result
            : TypedResults.Accepted($"/api/cases/{id}", new MessageAccepted(delivery.Id, CaseViews.Name(delivery.State)));
    }

    internal static async Task<IResult> RevealPhoneAsync(string id, ClaimsPrincipal user, CaseWorkflow workflow, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(new PhoneView(await workflow.RevealPhoneAsync(id, UserName(user), cancellationToken)));
        }
        catch (CaseNotFoundException)
        {
            return NotFound(id);
        }
        catch (UnauthorizedAccessException)
        {
            return TypedResults.Json(new ApiError("not_assignee", "只有认领这个工单的工作人员可以查看完整号码。"), statusCode: StatusCodes.Status403Forbidden);
        }
        catch (CaseConcurrencyException)
        {
            return TypedResults.Conflict(new ApiError("conflict", "工单刚被别人改过，请再试一次。"));
        }
    }

    internal static async Task<IResult> Notifications(ClaimsPrincipal user, [FromServices] IOperatorFeed feed, CancellationToken cancellationToken, long after = 0)
    {
        var items = await feed.ReadAsync(after, UserName(user), user.FindFirstValue(TokenService.RoleClaim) ?? string.Empty, cancellationToken);
        return TypedResults.Ok(new NotificationList(
            [.. items.Select(i => new NotificationView(i.Id, i.At, i.Notification.CaseId, CaseViews.Kebab(i.Notification.Audience.ToString()), i.Notification.Kind, i.Notification.Text))],
            items.Count));
    }

    /// <summary>Runs an action and answers the case as the caller now sees it, or the error in the API's shape.</summary>
    private static async Task<IResult> ActAsync(string id, ClaimsPrincipal user, Func<Task<HotlineCase>> action)
    {
        try
        {
            var updated = await action();
            return TypedResults.Ok(CaseDetailView.From(updated, UserName(user), IsAdmin(user)));
        }
        catch (CaseNotFoundException)
        {
            return NotFound(id);
        }
        catch (CaseNotHeldException e)
        {
            return TypedResults.Conflict(new ApiError("not_held",
                e.Assignee is null ? "请先认领这个工单。" : $"这个工单由 {e.Assignee} 处理中；请先认领。"));
        }
        catch (InvalidCaseTransitionException e)
        {
            return TypedResults.Conflict(new ApiError("invalid_transition", $"工单当前状态为“{CaseViews.Label(e.From)}”，不能执行这个操作。"));
        }
        catch (CaseConcurrencyException)
        {
            return TypedResults.Conflict(new ApiError("conflict", "工单刚被别人改过，请刷新后再试。"));
        }
    }

    /// <summary>A 400 for text longer than an operator message may be (it may reach the worker's chat), else null.</summary>
    private static Task<IResult>? TooLong(string? text) =>
        text is { Length: > CaseWorkflow.MaxMessageLength }
            ? Task.FromResult<IResult>(Invalid("text_too_long", $"最多{CaseWorkflow.MaxMessageLength}个字。"))
            : null;

    private static BadRequest<ApiError> Invalid(string error, string message) => TypedResults.BadRequest(new ApiError(error, message));

    private static NotFound<ApiError> NotFound(string id) => TypedResults.NotFound(new ApiError("not_found", $"没有工单 {id}。"));


    private static bool IsAdmin(ClaimsPrincipal user) => user.FindFirstValue(TokenService.RoleClaim) == Roles.Admin;
}
