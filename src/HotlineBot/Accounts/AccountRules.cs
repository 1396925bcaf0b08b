using System.Collections.Frozen;

namespace HotlineBot.Accounts;

/// <summary>Why a password is refused.</summary>
public enum PasswordProblem
{
    None,
    TooShort,
    TooLong,
    NeedsLettersAndDigits,
    SameAsUsername,
    TooCommon,
}

/// <summary>
/// What a username and a password must be. Passwords: at least <see cref="MinPasswordLength"/>
/// characters with both letters and digits, not the username, not one of a short list of common
/// passwords (compared case-insensitively).
/// </summary>
public static class AccountRules
{
    public const int MinPasswordLength = 10;

    /// <summary>Hashing is deliberately slow; an upper bound keeps a request from making it slower.</summary>
    public const int MaxPasswordLength = 128;

    public const int MaxUsernameLength = 32;

    /// <summary>Common passwords that pass the length and letters-and-digits rules.</summary>
    private static readonly FrozenSet<string> Common = new[]
    {
        "password123", "password1234", "password12345", "passw0rd123", "p@ssw0rd123", "p@ssword123",
        "admin12345", "admin123456", "administrator1", "administrator123", "qwerty12345", "qwerty123456",
        "qwertyuiop1", "1qaz2wsx3edc", "1q2w3e4r5t", "1q2w3e4r5t6y", "abc1234567", "abcd123456", "abc123456789",
        "a1234567890", "1234567890a", "123456789a", "welcome123", "welcome1234", "iloveyou123", "letmein123",
        "changeme123", "operator123", "hotline123", "hotline12351", "12351hotline", "zaq12wsxcv",
        "woaini1314", "woaini520520", "aa123456789", "qq123456789",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>What is wrong with the password, or <see cref="PasswordProblem.None"/>.</summary>
    public static PasswordProblem CheckPassword(string? username, string? password)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinPasswordLength)
        {
            return PasswordProblem.TooShort;
        }

        if (password.Length > MaxPasswordLength)
        {
            return PasswordProblem.TooLong;
        }

        if (!password.Any(char.IsLetter) || !password.Any(char.IsDigit))
        {
            return PasswordProblem.NeedsLettersAndDigits;
        }

        if (username is not null && string.Equals(password.Trim(), username.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return PasswordProblem.SameAsUsername;
        }

        return Common.Contains(password) ? PasswordProblem.TooCommon : PasswordProblem.None;
    }

    /// <summary>The problem as logs and start-up errors state it.</summary>
    public static string Describe(PasswordProblem problem) => problem switch
    {
        PasswordProblem.TooShort => $"it must be at least {MinPasswordLength} characters long",
        PasswordProblem.TooLong => $"it must be at most {MaxPasswordLength} characters long",
        PasswordProblem.NeedsLettersAndDigits => "it must contain both letters and digits",
        PasswordProblem.SameAsUsername => "it must not be the username",
        PasswordProblem.TooCommon => "it is a commonly used password",
        _ => "it is acceptable",
    };

    /// <summary>The problem as the API's callers (operators, in Simplified Chinese) read it.</summary>
    public static string DescribeForUser(PasswordProblem problem) => problem switch
    {
        PasswordProblem.TooShort => $"密码太短：至少需要{MinPasswordLength}个字符。",
        PasswordProblem.TooLong => $"密码太长：最多{MaxPasswordLength}个字符。",
        PasswordProblem.NeedsLettersAndDigits => "密码必须同时包含字母和数字。",
        PasswordProblem.SameAsUsername => "密码不能与用户名相同。",
        PasswordProblem.TooCommon => "这个密码太常见，请换一个。",
        _ => "密码可以使用。",
    };

    /// <summary>3–32 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit.</summary>
    public static bool IsValidUsername(string? username) =>
        username is { Length: >= 3 and <= MaxUsernameLength }
        && char.IsAsciiLetterOrDigit(username[0])
        && username.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
