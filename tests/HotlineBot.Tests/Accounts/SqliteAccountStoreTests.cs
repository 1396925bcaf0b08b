using HotlineBot.Accounts;
using HotlineBot.Tests.Integration;
using Microsoft.AspNetCore.Identity;

namespace HotlineBot.Tests.Accounts;

/// <summary>The account store on a real SQLite file, and the service's hashing on top of it.</summary>
public sealed class SqliteAccountStoreTests : IDisposable
{
    private readonly string _dataDirectory = TempDataDirectory.Create();
    private readonly SqliteAccountStore _store;

    public SqliteAccountStoreTests() => _store = new SqliteAccountStore(Path.Combine(_dataDirectory, "accounts.db"));

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _store.Dispose();
        TempDataDirectory.Delete(_dataDirectory);
    }

    [Fact]
    public async Task Create_ThenFind_IgnoresTheUsernamesCase()
    {
        var created = await _store.CreateAsync("Li.Ming", Roles.Operator, "hash-1", Cancellation);

        var found = await _store.FindAsync("li.MING", Cancellation);

        Assert.NotNull(found);
        Assert.Equal(created.Id, found.Id);
        Assert.Equal("Li.Ming", found.Username);
        Assert.Equal(Roles.Operator, found.Role);
        Assert.Equal("hash-1", found.PasswordHash);
        Assert.InRange(found.Created, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Null(await _store.FindAsync("nobody", Cancellation));
    }

    [Fact]
    public async Task Create_Throws_ForAUsernameTakenInAnotherCase()
    {
        await _store.CreateAsync("wang.fang", Roles.Operator, "hash-1", Cancellation);

        await Assert.ThrowsAsync<DuplicateAccountException>(() => _store.CreateAsync("WANG.FANG", Roles.Admin, "hash-2", Cancellation));
        Assert.Equal(1, await _store.CountAsync(Cancellation));
    }

    [Fact]
    public async Task List_PagesInCreationOrder_AndCountCountsAll()
    {
        foreach (var name in new[] { "a.one", "b.two", "c.three" })
        {
            await _store.CreateAsync(name, Roles.Operator, "h", Cancellation);
        }

        Assert.Equal(3, await _store.CountAsync(Cancellation));
        Assert.Equal(["a.one", "b.two"], (await _store.ListAsync(0, 2, Cancellation)).Select(a => a.Username));
        Assert.Equal(["c.three"], (await _store.ListAsync(2, 2, Cancellation)).Select(a => a.Username));
    }

    [Fact]
    public async Task Accounts_SurviveANewStoreOnTheSameFile()
    {
        await _store.CreateAsync("zhou.qing", Roles.Admin, "hash", Cancellation);

        using var reopened = new SqliteAccountStore(Path.Combine(_dataDirectory, "accounts.db"));

        Assert.Equal(Roles.Admin, (await reopened.FindAsync("zhou.qing", Cancellation))?.Role);
    }

    [Fact]
    public async Task Service_StoresAHash_AndVerifiesOnlyTheRightPassword()
    {
        var service = new AccountService(_store, new PasswordHasher<Account>());

        var result = await service.CreateAsync("chen.jing", "Holiday2024Desk", "Operator", Cancellation);

        Assert.Equal(CreateAccountStatus.Created, result.Status);
        Assert.Equal(Roles.Operator, result.Account!.Role);
        Assert.DoesNotContain("Holiday2024Desk", result.Account.PasswordHash, StringComparison.Ordinal);
        Assert.NotNull(await service.VerifyAsync("CHEN.JING", "Holiday2024Desk", Cancellation));
        Assert.Null(await service.VerifyAsync("chen.jing", "holiday2024desk", Cancellation));
        Assert.Null(await service.VerifyAsync("nobody", "Holiday2024Desk", Cancellation));
        Assert.Equal(CreateAccountStatus.Duplicate, (await service.CreateAsync("Chen.Jing", "Another2024Desk", "admin", Cancellation)).Status);
        Assert.Equal(CreateAccountStatus.WeakPassword, (await service.CreateAsync("xu.ke", "short1", "admin", Cancellation)).Status);
        Assert.Equal(CreateAccountStatus.InvalidRole, (await service.CreateAsync("xu.ke", "Another2024Desk", "root", Cancellation)).Status);
    }

    [Fact]
    public void TokenKey_IsGeneratedOnce_AndReusedByTheNextService()
    {
        var path = Path.Combine(_dataDirectory, "token-key");

        var first = new TokenService(path, TimeProvider.System);
        var second = new TokenService(path, TimeProvider.System);

        Assert.Equal(first.SigningKey.Key, second.SigningKey.Key);
        Assert.True(first.SigningKey.Key.Length >= 32);
    }
}
