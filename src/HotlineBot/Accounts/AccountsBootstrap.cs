using Microsoft.Extensions.Options;

namespace HotlineBot.Accounts;

/// <summary>
/// At start-up, when the store has no account, creates the first admin from <see cref="BootstrapOptions"/>.
/// Nothing else is ever seeded. The options themselves are validated on start, so a weak password has
/// already stopped the host before this runs.
/// </summary>
public sealed partial class AccountsBootstrap(IAccountStore store, AccountService accounts, IOptions<BootstrapOptions> options, ILogger<AccountsBootstrap> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await store.CountAsync(cancellationToken).ConfigureAwait(false) > 0)
        {
            return;
        }

        var bootstrap = options.Value;
        if (string.IsNullOrWhiteSpace(bootstrap.AdminUser) || string.IsNullOrEmpty(bootstrap.AdminPassword))
        {
            LogNoAccounts(logger);
            return;
        }

        var result = await accounts.CreateAsync(bootstrap.AdminUser, bootstrap.AdminPassword, Roles.Admin, cancellationToken).ConfigureAwait(false);
        switch (result.Status)
        {
            case CreateAccountStatus.Created:
                LogCreated(logger, result.Account!.Username);
                break;
            case CreateAccountStatus.Duplicate:
                // Another instance on the same data directory created it first.
                break;
            default:
                throw new InvalidOperationException($"The bootstrap admin could not be created: {result.Status}.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "No accounts exist and no bootstrap admin is configured: set Hotline__Bootstrap__AdminUser and Hotline__Bootstrap__AdminPassword to create the first admin.")]
    private static partial void LogNoAccounts(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the bootstrap admin '{Username}'.")]
    private static partial void LogCreated(ILogger logger, string username);
}
