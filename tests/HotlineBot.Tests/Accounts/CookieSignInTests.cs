using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HotlineBot.Tests.Integration;

namespace HotlineBot.Tests.Accounts;

/// <summary>The console's cookie sign-in over HTTP against the real host: the cookie, the script header on changes, sign-out, roles, no redirects.</summary>
public sealed class CookieSignInTests(AccountsHostFixture fixture) : IClassFixture<AccountsHostFixture>
{
    private const string OperatorUser = "chen.jing";
    private const string OperatorPassword = "Night2024Shift";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private AccountsHost Host => fixture.Host;

    [Fact]
    public async Task Login_SetsAnHttpOnlySameSiteStrictCookie_ThatMeAccepts()
    {
        using var browser = NewBrowser();

        using var login = await LoginAsync(browser, AccountsHost.AdminUser, AccountsHost.AdminPassword);

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var body = await ReadAsync(login);
        Assert.Equal(AccountsHost.AdminUser, (string?)body["username"]);
        Assert.Equal("admin", (string?)body["role"]);
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("hotline.auth=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        // Plain HTTP here: Secure follows the request's scheme.
        Assert.DoesNotContain("secure", cookie.Replace("samesite", "", StringComparison.OrdinalIgnoreCase), StringComparison.OrdinalIgnoreCase);

        using var me = await browser.GetAsync(new Uri("/api/me", UriKind.Relative), Cancellation);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var meBody = await ReadAsync(me);
        Assert.Equal(AccountsHost.AdminUser, (string?)meBody["username"]);
        Assert.Equal("admin", (string?)meBody["role"]);
    }

    [Fact]
    public async Task Login_Is401WithOneAnswer_ForAWrongPasswordAndAnUnknownUser_AndSetsNoCookie()
    {
        using var browser = NewBrowser();

        using var wrongPassword = await LoginAsync(browser, AccountsHost.AdminUser, "Wrong12351Password");
        using var unknownUser = await LoginAsync(browser, "nobody", AccountsHost.AdminPassword);

        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownUser.StatusCode);
        var wrongBody = await wrongPassword.Content.ReadAsStringAsync(Cancellation);
        Assert.Equal(wrongBody, await unknownUser.Content.ReadAsStringAsync(Cancellation));
        Assert.Equal("invalid_credentials", (string?)JsonNode.Parse(wrongBody)!["error"]);
        Assert.Equal("用户名或密码不正确。", (string?)JsonNode.Parse(wrongBody)!["message"]);
        Assert.False(wrongPassword.Headers.Contains("Set-Cookie"));
        using var me = await browser.GetAsync(new Uri("/api/me", UriKind.Relative), Cancellation);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [Fact]
    public async Task CookiePost_IsForbiddenWithoutXRequestedWith_AndAllowedWithIt()
    {
        using var browser = NewBrowser();
        using var login = await LoginAsync(browser, AccountsHost.AdminUser, AccountsHost.AdminPassword);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);

        using var forged = await browser.PostAsJsonAsync("/api/accounts", new { username = "forged.one", password = "Forged2024Pass", role = "admin" }, Cancellation);
        using var fromScript = await SendAsync(browser, HttpMethod.Post, "/api/accounts", new { username = "script.one", password = "Script2024Pass", role = "operator" });

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Created, fromScript.StatusCode);
        using var forgedLogin = await Host.RequestTokenAsync("forged.one", "Forged2024Pass", Cancellation);
        Assert.Equal(HttpStatusCode.Unauthorized, forgedLogin.StatusCode);
        // Reading needs no header: a GET changes nothing.
        using var list = await browser.GetAsync(new Uri("/api/accounts", UriKind.Relative), Cancellation);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    [Fact]
    public async Task BearerPost_NeedsNoXRequestedWith()
    {
        var token = await Host.TokenAsync(AccountsHost.AdminUser, AccountsHost.AdminPassword, Cancellation);

        using var created = await Host.SendAsync(HttpMethod.Post, "/api/accounts", token, new { username = "bearer.one", password = "Bearer2024Pass", role = "operator" }, Cancellation);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Fact]
    public async Task Logout_ClearsTheCookie_AndOnlyFromScript()
    {
        using var browser = NewBrowser();
        using var login = await LoginAsync(browser, AccountsHost.AdminUser, AccountsHost.AdminPassword);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);

        using var forged = await browser.PostAsync(new Uri("/api/auth/logout", UriKind.Relative), null, Cancellation);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        using (var stillIn = await browser.GetAsync(new Uri("/api/me", UriKind.Relative), Cancellation))
        {
            Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
        }

        using var logout = await SendAsync(browser, HttpMethod.Post, "/api/auth/logout", null);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        var cleared = Assert.Single(logout.Headers.GetValues("Set-Cookie"), c => c.StartsWith("hotline.auth=", StringComparison.Ordinal));
        Assert.Contains("expires=Thu, 01 Jan 1970", cleared, StringComparison.OrdinalIgnoreCase);
        using var me = await browser.GetAsync(new Uri("/api/me", UriKind.Relative), Cancellation);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [Fact]
    public async Task OperatorCookie_ReachesMe_ButIsForbiddenFromAdminEndpoints()
    {
        await EnsureOperatorAsync();
        using var browser = NewBrowser();
        using var login = await LoginAsync(browser, OperatorUser.ToUpperInvariant(), OperatorPassword);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal("operator", (string?)(await ReadAsync(login))["role"]);

        using var me = await browser.GetAsync(new Uri("/api/me", UriKind.Relative), Cancellation);
        using var list = await browser.GetAsync(new Uri("/api/accounts", UriKind.Relative), Cancellation);
        using var create = await SendAsync(browser, HttpMethod.Post, "/api/accounts", new { username = "sneaky.two", password = "Sneaky2024Pass", role = "admin" });

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(OperatorUser, (string?)(await ReadAsync(me))["username"]);
        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Null(list.Headers.Location);
    }

    [Theory]
    [InlineData("GET", "/api/me")]
    [InlineData("GET", "/api/accounts")]
    [InlineData("POST", "/api/accounts")]
    public async Task Apis_AnswerStatusCodes_NeverARedirect(string method, string path)
    {
        await EnsureOperatorAsync();
        using var anonymous = NewBrowser();
        using var tampered = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = Host.Client.BaseAddress };
        tampered.DefaultRequestHeaders.Add("Cookie", "hotline.auth=CfDJ8NotAValidTicket");
        using var operatorBrowser = NewBrowser();
        using (var login = await LoginAsync(operatorBrowser, OperatorUser, OperatorPassword))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        var body = method == "POST" ? new { username = "nobody2", password = "Nobody2024Pass", role = "admin" } : null;
        using var none = await SendAsync(anonymous, new HttpMethod(method), path, body);
        using var bad = await SendAsync(tampered, new HttpMethod(method), path, body);
        using var asOperator = await SendAsync(operatorBrowser, new HttpMethod(method), path, body);

        foreach (var response in new[] { none, bad, asOperator })
        {
            Assert.False((int)response.StatusCode is >= 300 and < 400, $"{method} {path} redirected: {(int)response.StatusCode} {response.Headers.Location}");
            Assert.Null(response.Headers.Location);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.Equal(path == "/api/me" ? HttpStatusCode.OK : HttpStatusCode.Forbidden, asOperator.StatusCode);
    }

    [Fact]
    public async Task Cookie_StillWorks_AfterARestartOnTheSameDataDirectory()
    {
        var dataDirectory = TempDataDirectory.Create();
        try
        {
            var cookies = new CookieContainer();
            await using (var first = await AccountsHost.StartWithAdminAsync(dataDirectory, Cancellation))
            {
                using var browser = NewBrowser(first.Client.BaseAddress!, cookies);
                using var login = await LoginAsync(browser, AccountsHost.AdminUser, AccountsHost.AdminPassword);
                Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            }

            // The keys that encrypt the cookie live in the data directory, not in the process or the home folder.
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(dataDirectory, "data-protection-keys"), "*.xml"));
            await using var second = await AccountsHost.StartWithAdminAsync(dataDirectory, Cancellation);
            var cookie = cookies.GetAllCookies().Single(c => c.Name == "hotline.auth");
            using var again = NewBrowser(second.Client.BaseAddress!, new CookieContainer());
            again.DefaultRequestHeaders.Add("Cookie", $"{cookie.Name}={cookie.Value}");
            using var me = await again.GetAsync(new Uri("/api/me", UriKind.Relative), Cancellation);
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            Assert.Equal(AccountsHost.AdminUser, (string?)(await ReadAsync(me))["username"]);
        }
        finally
        {
            TempDataDirectory.Delete(dataDirectory);
        }
    }

    /// <summary>A client that keeps cookies as a browser does and shows redirects instead of following them.</summary>
    private HttpClient NewBrowser() => NewBrowser(Host.Client.BaseAddress!, new CookieContainer());

    private static HttpClient NewBrowser(Uri baseAddress, CookieContainer cookies) =>
        new(new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(20),
        };

    private static Task<HttpResponseMessage> LoginAsync(HttpClient browser, string username, string password) =>
        browser.PostAsJsonAsync("/api/auth/login", new { username, password }, Cancellation);

    /// <summary>As the console's script sends requests: with X-Requested-With.</summary>
    private static async Task<HttpResponseMessage> SendAsync(HttpClient browser, HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Add("X-Requested-With", "XMLHttpRequest");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await browser.SendAsync(request, Cancellation);
    }

    private async Task EnsureOperatorAsync()
    {
        var admin = await Host.TokenAsync(AccountsHost.AdminUser, AccountsHost.AdminPassword, Cancellation);
        using var created = await Host.SendAsync(HttpMethod.Post, "/api/accounts", admin, new { username = OperatorUser, password = OperatorPassword, role = "operator" }, Cancellation);
        Assert.True(created.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"HTTP {(int)created.StatusCode}");
    }

    private static async Task<JsonNode> ReadAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancellation))!;
}
