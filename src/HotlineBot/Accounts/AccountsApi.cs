using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HotlineBot.Accounts;

/// <summary>The sign-in endpoint, the admins' account endpoints and <c>GET /api/me</c>.</summary>
public static class AccountsApi
{
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 200;

    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/api/auth/token", IssueTokenAsync).AllowAnonymous();
        app.MapGet("/api/me", Me).RequireAuthorization(Policies.Operator);

        var accounts = app.MapGroup("/api/accounts").RequireAuthorization(Policies.Admin);
        accounts.MapPost("/", CreateAsync);
        accounts.MapGet("/", ListAsync);
        return app;
    }

    public sealed record TokenRequest(string? Username, string? Password);

    public sealed record TokenResponse(string Token, DateTimeOffset ExpiresAt);

    public sealed record CreateAccountRequest(string? Username, string? Password, string? Role);

    /// <summary>An account as the API shows it: never the hash.</summary>
    public sealed record AccountView(long Id, string Username, string Role, DateTimeOffset Created)
    {
        public static AccountView From(Account account) => new(account.Id, account.Username, account.Role, account.Created);
    }

    public sealed record AccountList(IReadOnlyList<AccountView> Items, int Total);

    public sealed record MeView(string Username, string Role);

    public sealed record ApiError(string Error, string Message);

    internal static async Task<Results<Ok<TokenResponse>, JsonHttpResult<ApiError>>> IssueTokenAsync(
        TokenRequest? request, AccountService accounts, TokenService tokens, CancellationToken cancellationToken)
    {
        var account = await accounts.VerifyAsync(request?.Username, request?.Password, cancellationToken);
        if (account is null)
        {
            // One answer for an unknown username and a wrong password.
            return TypedResults.Json(new ApiError("invalid_credentials", "用户名或密码不正确。"), statusCode: StatusCodes.Status401Unauthorized);
        }

        var (token, expiresAt) = tokens.Issue(account);
        return TypedResults.Ok(new TokenResponse(token, expiresAt));
    }

    internal static Ok<MeView> Me(ClaimsPrincipal user) =>
        TypedResults.Ok(new MeView(user.FindFirstValue(TokenService.NameClaim) ?? "", user.FindFirstValue(TokenService.RoleClaim) ?? ""));

    internal static async Task<Results<Created<AccountView>, BadRequest<ApiError>, Conflict<ApiError>>> CreateAsync(
        CreateAccountRequest? request, AccountService accounts, CancellationToken cancellationToken)
    {
        var result = await accounts.CreateAsync(request?.Username, request?.Password, request?.Role, cancellationToken);
        return result.Status switch
        {
            CreateAccountStatus.Created => TypedResults.Created($"/api/accounts/{result.Account!.Id}", AccountView.From(result.Account)),
            CreateAccountStatus.Duplicate => TypedResults.Conflict(new ApiError("duplicate_username", "这个用户名已被使用。")),
            CreateAccountStatus.InvalidRole => TypedResults.BadRequest(new ApiError("invalid_role", "角色只能是 operator 或 admin。")),
            CreateAccountStatus.InvalidUsername => TypedResults.BadRequest(new ApiError(
                "invalid_username", $"用户名须为3到{AccountRules.MaxUsernameLength}个英文字母、数字或 . _ -，并以字母或数字开头。")),
            _ => TypedResults.BadRequest(new ApiError("weak_password", AccountRules.DescribeForUser(result.PasswordProblem))),
        };
    }

    internal static async Task<Results<Ok<AccountList>, BadRequest<ApiError>>> ListAsync(
        IAccountStore store, CancellationToken cancellationToken, int page = 1, int pageSize = DefaultPageSize)
    {
        if (page < 1 || pageSize < 1 || pageSize > MaxPageSize)
        {
            return TypedResults.BadRequest(new ApiError("invalid_paging", $"page 从1开始，pageSize 为1到{MaxPageSize}。"));
        }

        var total = await store.CountAsync(cancellationToken);
        var items = await store.ListAsync((int)Math.Min(int.MaxValue, (long)(page - 1) * pageSize), pageSize, cancellationToken);
        return TypedResults.Ok(new AccountList([.. items.Select(AccountView.From)], total));
    }
}
