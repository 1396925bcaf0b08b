namespace HotlineBot.Accounts;

/// <summary>Durable accounts. Usernames are unique case-insensitively; the store keeps hashes, never passwords.</summary>
public interface IAccountStore
{
    /// <summary>How many accounts exist.</summary>
    Task<int> CountAsync(CancellationToken cancellationToken = default);

    /// <summary>The account with that username (any case), or null.</summary>
    Task<Account?> FindAsync(string username, CancellationToken cancellationToken = default);

    /// <summary>Adds an account; throws <see cref="DuplicateAccountException"/> when the username is taken (in any case).</summary>
    Task<Account> CreateAsync(string username, string role, string passwordHash, CancellationToken cancellationToken = default);

    /// <summary>Accounts in creation order, <paramref name="offset"/> skipped, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<Account>> ListAsync(int offset, int limit, CancellationToken cancellationToken = default);
}

/// <summary>The username already belongs to an account.</summary>
public sealed class DuplicateAccountException : Exception
{
    public DuplicateAccountException()
    {
    }

    public DuplicateAccountException(string message)
        : base(message)
    {
    }

    public DuplicateAccountException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
