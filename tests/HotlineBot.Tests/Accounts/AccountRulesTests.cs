using HotlineBot.Accounts;

namespace HotlineBot.Tests.Accounts;

public sealed class AccountRulesTests
{
    [Theory]
    [InlineData("li.ming", "Shift2024Desk")]
    [InlineData("li.ming", "职工热线2024abcdef")]
    [InlineData("li.ming", "correct horse 42 battery")]
    public void CheckPassword_Accepts_LongPasswordsWithLettersAndDigits(string username, string password) =>
        Assert.Equal(PasswordProblem.None, AccountRules.CheckPassword(username, password));

    [Theory]
    [InlineData("li.ming", "", PasswordProblem.TooShort)]
    [InlineData("li.ming", "Abc12345", PasswordProblem.TooShort)]
    [InlineData("li.ming", "abcdefghijklmn", PasswordProblem.NeedsLettersAndDigits)]
    [InlineData("li.ming", "12345678901234", PasswordProblem.NeedsLettersAndDigits)]
    [InlineData("li.ming2024", "LI.MING2024", PasswordProblem.SameAsUsername)]
    [InlineData("li.ming", "Password123", PasswordProblem.TooCommon)]
    [InlineData("li.ming", "qwerty12345", PasswordProblem.TooCommon)]
    [InlineData("li.ming", "Admin12345", PasswordProblem.TooCommon)]
    public void CheckPassword_Refuses_WeakPasswords(string username, string password, PasswordProblem expected) =>
        Assert.Equal(expected, AccountRules.CheckPassword(username, password));

    [Fact]
    public void CheckPassword_Refuses_PasswordsLongerThanTheLimit() =>
        Assert.Equal(PasswordProblem.TooLong, AccountRules.CheckPassword("li.ming", new string('a', 130) + "1"));

    [Theory]
    [InlineData("li.ming", true)]
    [InlineData("op_01", true)]
    [InlineData("ab", false)]
    [InlineData(".hidden", false)]
    [InlineData("李明", false)]
    [InlineData("li ming", false)]
    [InlineData("", false)]
    public void IsValidUsername_AllowsShortAsciiNames(string username, bool expected) =>
        Assert.Equal(expected, AccountRules.IsValidUsername(username));

    [Fact]
    public void BootstrapOptions_NameTheProblem_OfAWeakPassword()
    {
        var problem = new BootstrapOptions { AdminUser = "admin", AdminPassword = "admin123" }.Problem();

        Assert.NotNull(problem);
        Assert.Contains("Hotline:Bootstrap:AdminPassword is too weak", problem, StringComparison.Ordinal);
        Assert.Contains("at least 10 characters", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void BootstrapOptions_AreFine_WhenAbsent_AndRefused_WhenHalfGiven()
    {
        Assert.Null(new BootstrapOptions().Problem());
        Assert.NotNull(new BootstrapOptions { AdminUser = "admin" }.Problem());
        Assert.NotNull(new BootstrapOptions { AdminPassword = "Union12351Hotline" }.Problem());
        Assert.Null(new BootstrapOptions { AdminUser = "admin", AdminPassword = "Union12351Hotline" }.Problem());
    }
}
