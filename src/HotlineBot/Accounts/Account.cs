namespace HotlineBot.Accounts;

/// <summary>An operator or admin who signs in to the hotline's API and console.</summary>
/// <param name="Id">The store's number for the account.</param>
/// <param name="Username">Unique, compared case-insensitively (ASCII letters, digits, '.', '_', '-').</param>
/// <param name="Role">One of <see cref="Roles"/>.</param>
/// <param name="PasswordHash">ASP.NET Core's <c>PasswordHasher</c> format; never leaves the server.</param>
/// <param name="Created">When the account was created (UTC).</param>
public sealed record Account(long Id, string Username, string Role, string PasswordHash, DateTimeOffset Created);

/// <summary>The roles an account can have; an admin can do everything an operator can.</summary>
public static class Roles
{
    public const string Operator = "operator";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Operator, Admin];

    /// <summary>The role's canonical spelling, or null when it is none of <see cref="All"/>.</summary>
    public static string? Normalize(string? role) =>
        All.FirstOrDefault(r => string.Equals(r, role?.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>The authorization policies the API's endpoints name.</summary>
public static class Policies
{
    /// <summary>Operators and admins.</summary>
    public const string Operator = "operator";

    /// <summary>Admins only.</summary>
    public const string Admin = "admin";
}
