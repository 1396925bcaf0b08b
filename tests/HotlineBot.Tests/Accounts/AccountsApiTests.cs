using System.Net;
using System.Text.Json.Nodes;
using HotlineBot.Tests.Integration;

namespace HotlineBot.Tests.Accounts;

/// <summary>One real host per class, started with a bootstrap admin on a fresh data directory.</summary>
public sealed class AccountsHostFixture : IAsyncLifetime
{
    private AccountsHost? _host;

    public string DataDirectory { get; } = TempDataDirectory.Create();

    public AccountsHost Host => _host ?? throw new InvalidOperationException("The host has not been started.");

    public async ValueTask InitializeAsync() => _host = await AccountsHost.StartWithAdminAsync(DataDirectory, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        TempDataDirectory.Delete(DataDirectory);
    }
}

/// <summary>Sign-in, account creation and the role checks, over HTTP against the real host.</summary>
public sealed class AccountsApiTests(AccountsHostFixture fixture) : IClassFixture<AccountsHostFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private AccountsHost Host => fixture.Host;

    [Fact]
    public async Task Token_IsIssued_ForTheBootstrapAdmin_ValidForEightHours()
    {
        using var response = await Host.RequestTokenAsync(AccountsHost.AdminUser, AccountsHost.AdminPassword, Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadAsync(response);
        Assert.False(string.IsNullOrEmpty((string?)body["token"]));
        var expiresAt = DateTimeOffset.Parse((string)body["expiresAt"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expiresAt - DateTimeOffset.UtcNow, TimeSpan.FromHours(7.9), TimeSpan.FromHours(8.01));

        using var me = await Host.SendAsync(HttpMethod.Get, "/api/me", (string)body["token"]!, null, Cancellation);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var meBody = await ReadAsync(me);
        Assert.Equal(AccountsHost.AdminUser, (string?)meBody["username"]);
        Assert.Equal("admin", (string?)meBody["role"]);
    }

    [Fact]
    public async Task Token_Is401WithTheSameAnswer_ForAWrongPasswordAndAnUnknownUser()
    {
        using var wrongPassword = await Host.RequestTokenAsync(AccountsHost.AdminUser, "Wrong12351Password", Cancellation);
        using var unknownUser = await Host.RequestTokenAsync("nobody", AccountsHost.AdminPassword, Cancellation);

        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownUser.StatusCode);
        Assert.Equal(await wrongPassword.Content.ReadAsStringAsync(Cancellation), await unknownUser.Content.ReadAsStringAsync(Cancellation));
        Assert.DoesNotContain("token", await wrongPassword.Content.ReadAsStringAsync(Cancellation), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_CreatesAnOperator_WhoCanReadMe_ButNotTheAccounts()
    {
        var admin = await Host.TokenAsync(AccountsHost.AdminUser, AccountsHost.AdminPassword, Cancellation);

        using var created = await Host.SendAsync(HttpMethod.Post, "/api/accounts", admin, new { username = "li.ming", password = "Shift2024Desk", role = "operator" }, Cancellation);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var account = await ReadAsync(created);
        Assert.True((long)account["id"]! > 0);
        Assert.Equal("li.ming", (string?)account["username"]);
        Assert.Equal("operator", (string?)account["role"]);
        Assert.Null(account["passwordHash"]);

        var operatorToken = await Host.TokenAsync("LI.MING", "Shift2024Desk", Cancellation);
        using var me = await Host.SendAsync(HttpMethod.Get, "/api/me", operatorToken, null, Cancellation);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var meBody = await ReadAsync(me);
        Assert.Equal("li.ming", (string?)meBody["username"]);
        Assert.Equal("operator", (string?)meBody["role"]);

        using var list = await Host.SendAsync(HttpMethod.Get, "/api/accounts", operatorToken, null, Cancellation);
        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        using var create = await Host.SendAsync(HttpMethod.Post, "/api/accounts", operatorToken, new { username = "sneaky", password = "Sneaky2024Pass", role = "admin" }, Cancellation);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
    }

    [Fact]
    public async Task CreateAccount_Is409_ForAUsernameTakenInAnyCase()
    {
        var admin = await Host.TokenAsync(AccountsHost.AdminUser, AccountsHost.AdminPassword, Cancellation);
        using var first = await Host.SendAsync(HttpMethod.Post, "/api/accounts", admin, new { username = "wang.fang", password = "Evening2024Shift", role = "operator" }, Cancellation);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        using var again = await Host.SendAsync(HttpMethod.Post, "/api/accounts", admin, new { username = "Wang.Fang", password = "Another2024Pass", role = "admin" }, Cancellation);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("duplicate_username", (string?)(await ReadAsync(again))["error"]);
    }

    [Theory]
    [InlineData("short1a", "weak_password")]
    [InlineData("onlyletterspassword", "weak_password")]
    [InlineData("12345678901234", "weak_password")]
    [InlineData("password123", "weak_password")]
    [InlineData("zhao.lei2024", "weak_password")]
    public async Task CreateAccount_Is400_ForAWeakPassword(string password, string error)
    {
        var admin = await Host.TokenAsync(AccountsHost.AdminUser, AccountsHost.AdminPassword, Cancellation);

        using var response = await Host.SendAsync(HttpMethod.Post, "/api/accounts", admin, new { username = "zhao.lei2024", password, role = "operator" }, Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await ReadAsync(response);
        Assert.Equal(error, (string?)body["error"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)body["message"]));
        using var token = await Host.RequestTokenAsync("zhao.lei2024", password, Cancellation);
        Assert.Equal(HttpStatusCode.Unauthorized, token.StatusCode);
    }

    [Fact]
    public async Task CreateAccount_Is400_ForAnUnknownRole()
    {
        var admin = await Host.TokenAsync(AccountsHost.AdminUser, AccountsHost.AdminPassword, Cancellation);

        using var response = await Host.SendAsync(HttpMethod.Post, "/api/accounts", admin, new { username = "sun.li", password = "Morning2024Desk", role = "superuser" }, Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_role", (string?)(await ReadAsync(response))["error"]);
    }

    [Theory]
    [InlineData("GET", "/api/me")]
    [InlineData("GET", "/api/accounts")]
    [InlineData("POST", "/api/accounts")]
    public async Task ProtectedEndpoints_Are401_WithoutAValidToken(string method, string path)
    {
        var body = method == "POST" ? new { username = "nobody1", password = "Nobody2024Pass", role = "admin" } : null;

        using var none = await Host.SendAsync(new HttpMethod(method), path, null, body, Cancellation);
        using var forged = await Host.SendAsync(new HttpMethod(method), path, "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYWRtaW4ifQ.c2lnbmF0dXJl", body, Cancellation);

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }

    [Fact]
    public async Task ListAccounts_AnswersItemsAndTotal_WithoutHashes()
    {
        var admin = await Host.TokenAsync(AccountsHost.AdminUser, AccountsHost.AdminPassword, Cancellation);
        using var created = await Host.SendAsync(HttpMethod.Post, "/api/accounts", admin, new { username = "zhou.qing", password = "Weekend2024Desk", role = "admin" }, Cancellation);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        using var response = await Host.SendAsync(HttpMethod.Get, "/api/accounts", admin, null, Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(Cancellation);
        Assert.DoesNotContain("hash", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AQAAAA", text, StringComparison.Ordinal);
        var body = JsonNode.Parse(text)!;
        var items = body["items"]!.AsArray();
        Assert.Equal(items.Count, (int)body["total"]!);
        Assert.Contains(items, i => (string?)i!["username"] == AccountsHost.AdminUser && (string?)i["role"] == "admin" && i["id"] is not null);
        Assert.Contains(items, i => (string?)i!["username"] == "zhou.qing" && (string?)i["role"] == "admin");
    }

    [Fact]
    public async Task SigningKey_IsKeptInTheDataDirectory_ReadableOnlyByTheOwner()
    {
        // The key is made when the first token is signed, whichever test comes first.
        using (await Host.RequestTokenAsync(AccountsHost.AdminUser, AccountsHost.AdminPassword, Cancellation))
        {
        }

        var path = Path.Combine(fixture.DataDirectory, "token-key");

        Assert.True(File.Exists(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    private static async Task<JsonNode> ReadAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancellation))!;
}
