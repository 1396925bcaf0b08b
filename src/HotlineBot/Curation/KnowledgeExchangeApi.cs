using System.Globalization;
using System.Security.Claims;
using System.Text;
using HotlineBot.Accounts;
using HotlineBot.Knowledge.Exchange;
using HotlineBot.Knowledge.Publishing;
using HotlineBot.Knowledge.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using static HotlineBot.Accounts.AccountsApi;

namespace HotlineBot.Curation;

/// <summary>
/// Export of every entry (drafts and retired ones too, with their versions) as YAML in the seed files'
/// shape, JSON or CSV; import of the same formats with a dry run. An import creates new entries and
/// updates those the file was made from; an entry changed in the store since the file was made is a
/// conflict and is never overwritten; a file with errors applies nothing.
/// </summary>
public static class KnowledgeExchangeApi
{
    /// <summary>The largest import accepted (the whole seed set is about 200 KB).</summary>
    public const int MaxImportBytes = 5 * 1024 * 1024;

    public static IEndpointRouteBuilder MapKnowledgeExchangeApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var knowledge = app.MapGroup("/api/knowledge").RequireAuthorization(Policies.Admin);
        knowledge.MapGet("/export", ExportAsync);
        knowledge.MapPost("/import", ImportAsync);
        return app;
    }

    public sealed record CreateView(string Id, string Question);

    public sealed record UpdateView(string Id, IReadOnlyList<FieldChange> Changes);

    public sealed record ConflictView(string Id, int CurrentVersion, int FileVersion, IReadOnlyList<FieldChange> Changes);

    public sealed record ErrorView(int? Entry, string? EntryId, string Field, long? Line, string Message);

    public sealed record ImportView(bool Applied, bool DryRun, IReadOnlyList<CreateView> Create, IReadOnlyList<UpdateView> Update, int Unchanged, IReadOnlyList<ConflictView> Conflicts, IReadOnlyList<ErrorView> Errors);

    internal static async Task<IResult> ExportAsync(IKnowledgeStore store, KnowledgeClock clock, CancellationToken cancellationToken, string? format = null)
    {
        if (!ExchangeFormats.TryParse(format ?? "yaml", out var parsed))
        {
            return UnknownFormat();
        }

        var entries = await SearchSynchronizer.ReadAllAsync(store, cancellationToken);
        var name = string.Create(CultureInfo.InvariantCulture, $"knowledge-{clock.Today:yyyyMMdd}.{parsed.FileExtension()}");
        return TypedResults.File(Encoding.UTF8.GetBytes(KnowledgeExport.Write(entries, parsed)), parsed.MediaType(), name);
    }

    internal static async Task<IResult> ImportAsync(HttpRequest request, ClaimsPrincipal user, IKnowledgeStore store, KnowledgeEditor editor, KnowledgeClock clock, CancellationToken cancellationToken,
        string? format = null, bool dryRun = true, bool force = false)
    {
        if (!ExchangeFormats.TryParse(format, out var parsed))
        {
            return UnknownFormat();
        }

        if (request.ContentLength > MaxImportBytes)
        {
            return TooLarge();
        }

        var content = await ReadLimitedAsync(request.Body, cancellationToken);
        if (content is null)
        {
            return TooLarge();
        }

        var file = KnowledgeImport.Read(content, parsed, clock.Today);
        var current = (await SearchSynchronizer.ReadAllAsync(store, cancellationToken)).ToDictionary(e => e.Id, StringComparer.Ordinal);
        var plan = ImportPlanner.Plan(file.Entries, current);
        var view = new ImportView(
            Applied: false,
            DryRun: dryRun,
            [.. plan.Entries.Where(e => e.Action == ImportAction.Create).Select(e => new CreateView(e.Incoming.Id, e.Incoming.Question))],
            [.. plan.Entries.Where(e => e.Action == ImportAction.Update).Select(e => new UpdateView(e.Incoming.Id, e.Changes))],
            plan.Count(ImportAction.Unchanged),
            [.. plan.Entries.Where(e => e.Action == ImportAction.Conflict).Select(e => new ConflictView(e.Incoming.Id, e.Current!.Version, e.Incoming.Version, e.Changes))],
            [.. file.Errors.Select(e => new ErrorView(e.EntryIndex, e.EntryId, e.Field, e.Line, e.Message))]);
        if (dryRun)
        {
            return TypedResults.Ok(view);
        }

        if (file.HasErrors)
        {
            return TypedResults.BadRequest(view);
        }

        try
        {
            await editor.ApplyAsync(
                [.. plan.Entries.Where(e => e.Action == ImportAction.Create).Select(e => e.Incoming)],
                [.. plan.Entries.Where(e => e.Action == ImportAction.Update).Select(e => e.Incoming with { Version = e.Current!.Version })],
                UserName(user),
                force,
                cancellationToken);
        }
        catch (PublishingRefusedException e)
        {
            return TypedResults.Json(
                new KnowledgeApi.Refused("regression", $"这次导入会让{e.Failures.Count}个回归问题答错，未导入。确认无误可强制导入。", [.. e.Failures.Select(KnowledgeApi.Failure)]),
                statusCode: StatusCodes.Status422UnprocessableEntity);
        }
        catch (Exception e) when (e is KnowledgeConcurrencyException or KnowledgeEntryExistsException)
        {
            // Someone changed the store between the plan and the write: what was written is kept; say so.
            return TypedResults.Conflict(new ApiError("changed", $"导入过程中知识库被他人修改（{e.Message}），部分条目未导入；请重新预览后再导入。"));
        }

        return TypedResults.Ok(view with { Applied = true });
    }

    /// <summary>The body as text, or null past <see cref="MaxImportBytes"/> characters (read in small chunks: no buffer of the limit's size per request).</summary>
    private static async Task<string?> ReadLimitedAsync(Stream body, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, Encoding.UTF8);
        var content = new StringBuilder();
        var chunk = new char[16 * 1024];
        int read;
        while ((read = await reader.ReadAsync(chunk.AsMemory(), cancellationToken)) > 0)
        {
            if (content.Length + read > MaxImportBytes)
            {
                return null;
            }

            content.Append(chunk, 0, read);
        }

        return content.ToString();
    }

    private static BadRequest<ApiError> UnknownFormat() => TypedResults.BadRequest(new ApiError("invalid_format", "format 只能是 yaml、json 或 csv。"));

    private static JsonHttpResult<ApiError> TooLarge() => TypedResults.Json(new ApiError("too_large", $"文件太大：最多 {MaxImportBytes / 1024 / 1024} MB。"), statusCode: StatusCodes.Status413PayloadTooLarge);
}
