namespace HotlineBot.Accounts;

/// <summary>The first admin (config section <c>Hotline:Bootstrap</c>), created only when no account exists.</summary>
public sealed class BootstrapOptions
{
    public const string Section = "Hotline:Bootstrap";

    /// <summary>The first admin's username (environment: <c>Hotline__Bootstrap__AdminUser</c>).</summary>
    public string? AdminUser { get; set; }

    /// <summary>The first admin's password (environment: <c>Hotline__Bootstrap__AdminPassword</c>); weak ones fail start-up.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>Null when the settings are usable (or absent), else what is wrong with them.</summary>
    public string? Problem()
    {
        var hasUser = !string.IsNullOrWhiteSpace(AdminUser);
        var hasPassword = !string.IsNullOrEmpty(AdminPassword);
        if (!hasUser && !hasPassword)
        {
            return null;
        }

        if (!hasUser || !hasPassword)
        {
            return $"{Section}:AdminUser and {Section}:AdminPassword must be given together.";
        }

        if (!AccountRules.IsValidUsername(AdminUser!.Trim()))
        {
            return $"{Section}:AdminUser must be 3-{AccountRules.MaxUsernameLength} ASCII letters, digits, '.', '_' or '-'.";
        }

        var problem = AccountRules.CheckPassword(AdminUser, AdminPassword);
        return problem == PasswordProblem.None
            ? null
            : $"{Section}:AdminPassword is too weak: {AccountRules.Describe(problem)} (at least {AccountRules.MinPasswordLength} characters with letters and digits, not the username, not a common password).";
    }
}
