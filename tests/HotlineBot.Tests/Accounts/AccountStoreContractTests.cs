using HotlineBot.Accounts;
using Microsoft.AspNetCore.Identity;

namespace HotlineBot.Tests.Accounts;

/// <summary>
/// What every <see cref="IAccountStore"/> does, run against each implementation (SQLite, Redis), and
/// the service's hashing on top of it. Each test gets a fresh, empty store.
/// </summary>
public abstract class AccountStoreContractTests
{
    private IAccountStore? _store;

    protected IAccountStore Store => _store ??= CreateStore();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>A new, empty store for one test.</summary>
    protected abstract IAccountStore CreateStore();

    /// <summary>Another instance on the same data as <see cref="Store"/> (another host process would open this).</summary>
    protected abstract IAccountStore OpenAnotherInstance();

    [Fact]
    public async Task Create_ThenFind_IgnoresTheUsernamesCase()
    {
        var created = await Store.CreateAsync("Li.Ming", Roles.Operator, "hash-1", Cancellation);

        var found = await Store.FindAsync("li.MING", Cancellation);

        Assert.NotNull(found);
        Assert.Equal(created.Id, found.Id);
        Assert.Equal("Li.Ming", found.Username);
        Assert.Equal(Roles.Operator, found.Role);
        Assert.Equal("hash-1", found.PasswordHash);
        Assert.Equal(created.Created, found.Created);
        Assert.InRange(found.Created, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Null(await Store.FindAsync("nobody", Cancellation));
    }

    [Fact]
    public async Task Create_Throws_ForAUsernameTakenInAnotherCase()
    {
        await Store.CreateAsync("wang.fang", Roles.Operator, "hash-1", Cancellation);

        await Assert.ThrowsAsync<DuplicateAccountException>(() => Store.CreateAsync("WANG.FANG", Roles.Admin, "hash-2", Cancellation));
        Assert.Equal(1, await Store.CountAsync(Cancellation));
    }

    [Fact]
    public async Task List_PagesInCreationOrder_AndCountCountsAll()
    {
        foreach (var name in new[] { "c.three", "a.one", "b.two" })
        {
            await Store.CreateAsync(name, Roles.Operator, "h", Cancellation);
        }

        Assert.Equal(3, await Store.CountAsync(Cancellation));
        Assert.Equal(["c.three", "a.one"], (await Store.ListAsync(0, 2, Cancellation)).Select(a => a.Username));
        Assert.Equal(["b.two"], (await Store.ListAsync(2, 2, Cancellation)).Select(a => a.Username));
        Assert.Empty(await Store.ListAsync(3, 2, Cancellation));
        Assert.Empty(await Store.ListAsync(0, 0, Cancellation));
    }

    [Fact]
    public async Task Accounts_AreSeenByAnotherInstance()
    {
        await Store.CreateAsync("zhou.qing", Roles.Admin, "hash", Cancellation);

        var other = OpenAnotherInstance();

        Assert.Equal(Roles.Admin, (await other.FindAsync("zhou.qing", Cancellation))?.Role);
        await Assert.ThrowsAsync<DuplicateAccountException>(() => other.CreateAsync("Zhou.Qing", Roles.Operator, "h", Cancellation));
    }

    [Fact]
    public async Task ConcurrentCreates_OfOneNameInDifferentCases_AcrossInstances_ExactlyOneWins()
    {
        const int creators = 10;
        var stores = new[] { Store, OpenAnotherInstance() };
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var attempts = Enumerable.Range(0, creators).Select(i => Task.Run(async () =>
        {
            await start.Task;
            var name = i % 2 == 0 ? "Sun.Li" : "sun.LI";
            try
            {
                await stores[i % 2].CreateAsync(name, Roles.Operator, "hash-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), Cancellation);
                return true;
            }
            catch (DuplicateAccountException)
            {
                return false;
            }
        }, Cancellation)).ToList();
        start.SetResult();
        var outcomes = await Task.WhenAll(attempts);

        Assert.Single(outcomes, won => won);
        Assert.Equal(1, await Store.CountAsync(Cancellation));
        Assert.Single(await Store.ListAsync(0, 10, Cancellation));
    }

    [Fact]
    public async Task Service_StoresAHash_AndVerifiesOnlyTheRightPassword()
    {
        var service = new AccountService(Store, new PasswordHasher<Account>());

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
}
