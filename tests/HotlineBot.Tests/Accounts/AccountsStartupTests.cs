using System.Net;
using HotlineBot.Tests.Integration;
using Microsoft.Data.Sqlite;

namespace HotlineBot.Tests.Accounts;

/// <summary>What start-up does with accounts: bootstrap once, keep them across restarts, refuse a weak bootstrap password.</summary>
public sealed class AccountsStartupTests : IDisposable
{
    private readonly string _dataDirectory = TempDataDirectory.Create();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose() => TempDataDirectory.Delete(_dataDirectory);

    [Fact]
    public async Task Restart_KeepsAccountsAndTokens_AndDoesNotBootstrapAgain()
    {
        string operatorToken;
        await using (var first = await AccountsHost.StartWithAdminAsync(_dataDirectory, Cancellation))
        {
            var admin = await first.TokenAsync(AccountsHost.AdminUser, AccountsHost.AdminPassword, Cancellation);
            using var created = await first.SendAsync(HttpMethod.Post, "/api/accounts", admin, new { username = "chen.jing", password = "Holiday2024Desk", role = "operator" }, Cancellation);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            operatorToken = await first.TokenAsync("chen.jing", "Holiday2024Desk", Cancellation);
        }

        // Different bootstrap settings on the second start: accounts exist, so they are ignored.
        await using var second = await AccountsHost.StartAsync(_dataDirectory, "newchief", "Another12351Admin", Cancellation);

        Assert.NotEmpty(await second.TokenAsync("chen.jing", "Holiday2024Desk", Cancellation));
        Assert.NotEmpty(await second.TokenAsync(AccountsHost.AdminUser, AccountsHost.AdminPassword, Cancellation));
        using var newChief = await second.RequestTokenAsync("newchief", "Another12351Admin", Cancellation);
        Assert.Equal(HttpStatusCode.Unauthorized, newChief.StatusCode);

        // The signing key is kept too: a token from before the restart still works.
        using var me = await second.SendAsync(HttpMethod.Get, "/api/me", operatorToken, null, Cancellation);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(2, CountAccounts());
    }

    [Theory]
    [InlineData("admin", "admin123")]
    [InlineData("admin", "abcdefghijkl")]
    [InlineData("admin", "password123")]
    [InlineData("admin12345", "admin12345")]
    public async Task WeakBootstrapPassword_RefusesToStart_WithAClearMessage(string user, string password)
    {
        var failure = await Record.ExceptionAsync(async () =>
        {
            await using var host = await AccountsHost.StartAsync(_dataDirectory, user, password, Cancellation);
        });

        Assert.NotNull(failure);
        Assert.Contains("Hotline:Bootstrap:AdminPassword is too weak", failure.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dataDirectory, "accounts.db")) && CountAccounts() > 0, "an account was created");
    }

    [Fact]
    public async Task WithoutBootstrapSettings_NoAccountIsSeeded()
    {
        await using var host = await AccountsHost.StartAsync(_dataDirectory, null, null, Cancellation);

        using var response = await host.RequestTokenAsync("admin", "admin", Cancellation);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, CountAccounts());
    }

    private long CountAccounts()
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_dataDirectory, "accounts.db"),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM accounts";
        return (long)command.ExecuteScalar()!;
    }
}
