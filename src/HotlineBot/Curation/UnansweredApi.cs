using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using HotlineBot.Accounts;
using HotlineBot.Knowledge.Search;
using HotlineBot.Knowledge.Unanswered;
using HotlineBot.Turns;
using static HotlineBot.Accounts.AccountsApi;

namespace HotlineBot.Curation;

/// <summary>
/// The admins' unanswered inbox (admin role): the questions the bot could not answer, grouped by
/// similar wording; resolving a group to an entry; and sending a published entry's answer to the
/// group's workers who asked for it.
/// </summary>
public static class UnansweredApi
{
    public static IEndpointRouteBuilder MapUnansweredApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var inbox = app.MapGroup("/api/knowledge/unanswered").RequireAuthorization(Policies.Admin);
        inbox.MapGet("/", ListAsync);
        inbox.MapPost("/{groupId}/resolve", ResolveAsync);
        inbox.MapPost("/{groupId}/notify", NotifyAsync);
        return app;
    }

    public sealed record EntryRequest(string? EntryId);

    public sealed record SourcesView(int Fallback, int NoneOfThese, int NotSolved);

    public sealed record SuggestionView(string Id, string Question, double Confidence);

    public sealed record GroupView(
        string Id, string Wording, int Count, DateTimeOffset FirstAt, DateTimeOffset LastAt, SourcesView Sources,
        IReadOnlyList<string> Examples, int OptedIn, SuggestionView? Suggestion)
    {
        public static GroupView From(UnansweredGroup group) => new(
            group.Id, group.Wording, group.Count, group.FirstAt, group.LastAt,
            new SourcesView(group.Sources.Fallback, group.Sources.NoneOfThese, group.Sources.NotSolved),
            group.Examples, group.OptedIn,
            group.Suggestion is { } s ? new SuggestionView(s.Id, s.Question, s.Confidence) : null);
    }

    public sealed record GroupList(IReadOnlyList<GroupView> Items, int Total);

    public sealed record ResolveResult(int Resolved);

    public sealed record NotifyResult(int Sent, int Failed, int AlreadySent);

    internal static async Task<IResult> ListAsync(UnansweredInbox inbox, CancellationToken cancellationToken, int days = UnansweredInbox.DefaultDays)
    {
        if (InvalidDays(days) is { } invalid)
        {
            return invalid;
        }

        var groups = await inbox.ListAsync(days, cancellationToken);
        return TypedResults.Ok(new GroupList([.. groups.Select(GroupView.From)], groups.Count));
    }

    internal static async Task<IResult> ResolveAsync(
        string groupId, EntryRequest? request, ClaimsPrincipal user, UnansweredInbox inbox, IPolicySearch search, CancellationToken cancellationToken,
        int days = UnansweredInbox.DefaultDays)
    {
        if (InvalidDays(days) is { } invalidDays)
        {
            return invalidDays;
        }

        if (Unpublished(request, search, out _) is { } invalid)
        {
            return invalid;
        }

        var resolved = await inbox.ResolveAsync(groupId, request!.EntryId!, UserName(user), days, cancellationToken);
        return resolved is { } count ? TypedResults.Ok(new ResolveResult(count)) : UnknownGroup(groupId);
    }

    internal static async Task<IResult> NotifyAsync(
        string groupId, EntryRequest? request, UnansweredInbox inbox, IPolicySearch search, CancellationToken cancellationToken, int days = UnansweredInbox.DefaultDays)
    {
        if (InvalidDays(days) is { } invalidDays)
        {
            return invalidDays;
        }

        if (Unpublished(request, search, out var entry) is { } invalid)
        {
            return invalid;
        }

        var outcome = await inbox.NotifyAsync(groupId, entry!, days, cancellationToken);
        return outcome is null ? UnknownGroup(groupId) : TypedResults.Ok(new NotifyResult(outcome.Sent, outcome.Failed, outcome.AlreadySent));
    }

    private static BadRequest<ApiError>? InvalidDays(int days) => days is < 1 or > UnansweredInbox.MaxDays
        ? TypedResults.BadRequest(new ApiError("invalid_days", $"days 为1到{UnansweredInbox.MaxDays}。"))
        : null;

    /// <summary>A 400 without an entry id, a 409 when the entry is not published (the bot could not answer with it); else null and the entry.</summary>
    private static IResult? Unpublished(EntryRequest? request, IPolicySearch search, out Knowledge.Entries.PolicyEntry? entry)
    {
        entry = null;
        if (string.IsNullOrWhiteSpace(request?.EntryId))
        {
            return TypedResults.BadRequest(new ApiError("missing_entry_id", "请指定答案条目（entryId）。"));
        }

        entry = search.Find(request.EntryId);
        return entry is null
            ? TypedResults.Conflict(new ApiError("not_published", $"条目“{request.EntryId}”不存在或尚未发布，请先发布再处理。"))
            : null;
    }

    private static NotFound<ApiError> UnknownGroup(string groupId) =>
        TypedResults.NotFound(new ApiError("not_found", $"没有这组问题（{groupId}），可能已处理或已有新的提问，请刷新后再试。"));
}
