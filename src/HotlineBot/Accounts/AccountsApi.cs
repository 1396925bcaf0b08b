using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HotlineBot.Accounts;

/// <summary>The sign-in endpoints (bearer token, console cookie), the admins' account endpoints and <c>GET /api/me</c>.</summary>
public static class AccountsApi
{
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 200;

    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/api/auth/token", IssueTokenAsync).AllowAnonymous();
        app.MapPost("/api/auth/login", LoginAsync).AllowAnonymous();
        app.MapPost("/api/auth/logout", LogoutAsync).AllowAnonymous();
        app.MapGet("/api/me", Me).RequireAuthorization(Policies.Operator);

        var accounts = app.MapGroup("/api/accounts").RequireAuthorization(Policies.Admin);
        accounts.MapPost("/", CreateAsync);
        accounts.MapGet("/", ListAsync);
        return app;
    }

    public sealed record TokenRequest(string? Username, string? Password);

    public sealed record LoginRequest(string? Username, string? Password);

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
            return InvalidCredentials();
        }

        var (token, expiresAt) = tokens.Issue(account);
        return TypedResults.Ok(new TokenResponse(token, expiresAt));
    }

    /// <summary>Signs in to the console: sets the <see cref="CookieSignIn.CookieName"/> cookie.</summary>
    internal static async Task<Results<Ok<MeView>, JsonHttpResult<ApiError>>> LoginAsync(
        LoginRequest? request, HttpContext http, AccountService accounts, CancellationToken cancellationToken)
    {
        var account = await accounts.VerifyAsync(request?.Username, request?.Password, cancellationToken);
        if (account is null)
        {
            return InvalidCredentials();
        }

        // A session cookie (gone when the browser closes) whose ticket slides within the lifetime.
        await http.SignInAsync(CookieSignIn.Scheme, CookieSignIn.Principal(account), new AuthenticationProperties { IsPersistent = false });
        return TypedResults.Ok(new MeView(account.Username, account.Role));
    }

    /// <summary>Signs out of the console. Anonymous, so an expired session can still clear its cookie; from script only.</summary>
    internal static async Task<Results<NoContent, JsonHttpResult<ApiError>>> LogoutAsync(HttpRequest request)
    {
        if (!CookieSignIn.IsScriptRequest(request))
        {
            return TypedResults.Json(new ApiError("script_header_required", "请求缺少 X-Requested-With 头。"), statusCode: StatusCodes.Status403Forbidden);
        }

        await request.HttpContext.SignOutAsync(CookieSignIn.Scheme);
        return TypedResults.NoContent();
    }

    internal static Ok<MeView> Me(ClaimsPrincipal user) =>
        TypedResults.Ok(new MeView(UserName(user), user.FindFirstValue(TokenService.RoleClaim) ?? ""));

    /// <summary>The signed-in account's username: what history, audits and cases record as the actor.</summary>
    internal static string UserName(ClaimsPrincipal user) => user.FindFirstValue(TokenService.NameClaim) ?? string.Empty;

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

    /// <summary>One answer for an unknown username and a wrong password.</summary>
    private static JsonHttpResult<ApiError> InvalidCredentials() =>
        TypedResults.Json(new ApiError("invalid_credentials", "用户名或密码不正确。"), statusCode: StatusCodes.Status401Unauthorized);
}
