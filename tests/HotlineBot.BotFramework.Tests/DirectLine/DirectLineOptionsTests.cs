using System.ComponentModel.DataAnnotations;
using HotlineBot.BotFramework.DirectLine;

namespace HotlineBot.BotFramework.Tests.DirectLine;

public sealed class DirectLineOptionsTests
{
    [Fact]
    public void Defaults_AreValid_WithAnHourLongTokenAndNoSecret()
    {
        var options = new DirectLineOptions();

        Assert.Empty(Problems(options));
        Assert.Equal(TimeSpan.FromHours(1), options.TokenLifetime);
        Assert.Null(options.Secret);
        Assert.Equal(options.TokenLifetime + options.IdleMargin, options.IdleTimeout);
    }

    [Fact]
    public void ShortSecret_AndZeroLifetime_AreRefused()
    {
        var problems = Problems(new DirectLineOptions { Secret = "short", TokenLifetime = TimeSpan.Zero });

        Assert.Contains(problems, p => p.Contains(nameof(DirectLineOptions.Secret), StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains(nameof(DirectLineOptions.TokenLifetime), StringComparison.Ordinal));
    }

    [Fact]
    public void PageOfNothing_IsRefused() =>
        Assert.Contains(Problems(new DirectLineOptions { PageSize = 0 }), p => p.Contains(nameof(DirectLineOptions.PageSize), StringComparison.Ordinal));

    private static List<string> Problems(DirectLineOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage ?? string.Empty)];
    }
}
