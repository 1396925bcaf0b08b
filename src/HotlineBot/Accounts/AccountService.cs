using Microsoft.AspNetCore.Identity;

namespace HotlineBot.Accounts;

/// <summary>The result of <see cref="AccountService.CreateAsync"/>.</summary>
public enum CreateAccountStatus
{
    Created,
    InvalidUsername,
    InvalidRole,
    WeakPassword,
    Duplicate,
}

/// <summary>An account created, or why not.</summary>
public sealed record CreateAccountResult(CreateAccountStatus Status, Account? Account = null, PasswordProblem PasswordProblem = PasswordProblem.None);

/// <summary>Creates accounts under <see cref="AccountRules"/> and checks passwords against their hashes.</summary>
public sealed class AccountService(IAccountStore store, IPasswordHasher<Account> hasher)
{
    /// <summary>Verified against when the username is unknown, so both failures cost the same time.</summary>
    private readonly Lazy<string> _dummyHash = new(() => hasher.HashPassword(Placeholder, Guid.NewGuid().ToString("N")));

    private static Account Placeholder { get; } = new(0, "-", Roles.Operator, "-", DateTimeOffset.UnixEpoch);

    public async Task<CreateAccountResult> CreateAsync(string? username, string? password, string? role, CancellationToken cancellationToken = default)
    {
        username = username?.Trim();
        if (!AccountRules.IsValidUsername(username))
        {
            return new(CreateAccountStatus.InvalidUsername);
        }

        if (Roles.Normalize(role) is not { } canonicalRole)
        {
            return new(CreateAccountStatus.InvalidRole);
        }

        var problem = AccountRules.CheckPassword(username, password);
        if (problem != PasswordProblem.None)
        {
            return new(CreateAccountStatus.WeakPassword, PasswordProblem: problem);
        }

        var hash = hasher.HashPassword(Placeholder with { Username = username!, Role = canonicalRole }, password!);
        try
        {
            return new(CreateAccountStatus.Created, await store.CreateAsync(username!, canonicalRole, hash, cancellationToken).ConfigureAwait(false));
        }
        catch (DuplicateAccountException)
        {
            return new(CreateAccountStatus.Duplicate);
        }
    }

    /// <summary>The account when the password matches; null for an unknown username and a wrong password alike.</summary>
    public async Task<Account?> VerifyAsync(string? username, string? password, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(username) || string.IsNullOrEmpty(password) || password.Length > AccountRules.MaxPasswordLength)
        {
            return null;
        }

        var account = await store.FindAsync(username, cancellationToken).ConfigureAwait(false);
        if (account is null)
        {
            hasher.VerifyHashedPassword(Placeholder, _dummyHash.Value, password);
            return null;
        }

        return hasher.VerifyHashedPassword(account, account.PasswordHash, password) == PasswordVerificationResult.Failed ? null : account;
    }
}
