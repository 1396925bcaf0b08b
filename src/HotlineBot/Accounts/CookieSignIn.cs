using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;

namespace HotlineBot.Accounts;

/// <summary>
/// The console's sign-in cookie: an HttpOnly, SameSite=Strict cookie holding the same claims a bearer
/// token carries, so every endpoint that takes a token takes the cookie too. API callers are never
/// redirected: no session is 401, a wrong role 403.
/// </summary>
public static class CookieSignIn
{
    /// <summary>The authentication scheme; also the cookie identity's authentication type.</summary>
    public const string Scheme = "hotline.cookie";

    public const string CookieName = "hotline.auth";

    /// <summary>The header scripts send (fetch from our own page); a cross-site form cannot add it.</summary>
    public const string ScriptHeader = "X-Requested-With";

    public const string ScriptHeaderValue = "XMLHttpRequest";

    /// <summary>
    /// The cookie's settings: valid <see cref="TokenService.Lifetime"/> from sign-in, like a token — not
    /// sliding, because the console polls every few seconds and would otherwise never sign out — and
    /// status codes instead of redirects.
    /// </summary>
    public static void Configure(CookieAuthenticationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Cookie.Name = CookieName;
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.ExpireTimeSpan = TokenService.Lifetime;
        options.SlidingExpiration = false;
        options.Events.OnRedirectToLogin = context => Status(context.Response, StatusCodes.Status401Unauthorized);
        options.Events.OnRedirectToAccessDenied = context => Status(context.Response, StatusCodes.Status403Forbidden);
        options.Events.OnRedirectToLogout = context => Task.CompletedTask;
        options.Events.OnRedirectToReturnUrl = context => Task.CompletedTask;
    }

    /// <summary>The signed-in account as the cookie carries it: the claim names of <see cref="TokenService"/>.</summary>
    public static ClaimsPrincipal Principal(Account account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim("sub", account.Id.ToString(CultureInfo.InvariantCulture)),
                new Claim(TokenService.NameClaim, account.Username),
                new Claim(TokenService.RoleClaim, account.Role),
            ],
            Scheme,
            TokenService.NameClaim,
            TokenService.RoleClaim));
    }

    /// <summary>GET, HEAD, OPTIONS and TRACE change nothing, so a forged one does no harm.</summary>
    public static bool IsSafeMethod(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);

    /// <summary>Whether the request says it comes from our page's script rather than a cross-site form.</summary>
    public static bool IsScriptRequest(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return string.Equals(request.Headers[ScriptHeader], ScriptHeaderValue, StringComparison.OrdinalIgnoreCase);
    }

    private static Task Status(HttpResponse response, int statusCode)
    {
        response.StatusCode = statusCode;
        return Task.CompletedTask;
    }
}

/// <summary>
/// A cookie-authenticated request that changes something must carry <c>X-Requested-With: XMLHttpRequest</c>:
/// defence in depth beside SameSite=Strict against forged cross-site posts. Bearer requests need no
/// header: a browser never attaches the token by itself.
/// </summary>
public sealed class ScriptRequestRequirement : AuthorizationHandler<ScriptRequestRequirement>, IAuthorizationRequirement
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScriptRequestRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        var byOtherScheme = context.User.Identities.Any(i => i.IsAuthenticated && i.AuthenticationType != CookieSignIn.Scheme);
        if (byOtherScheme
            || (context.Resource is HttpContext http && (CookieSignIn.IsSafeMethod(http.Request.Method) || CookieSignIn.IsScriptRequest(http.Request))))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
