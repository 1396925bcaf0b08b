namespace HotlineBot.WeChat.Tests;

public sealed class WeChatOptionsTests
{
    private static WeChatOptions Valid() => new()
    {
        Token = "AAAAA",
        AppId = "wxba5fad812f8e6fb9",
        AppSecret = "secret",
        EncodingAesKey = new string('A', 43),
    };

    [Fact]
    public void Without_a_Token_the_channel_is_off_and_nothing_is_checked()
    {
        var options = new WeChatOptions { AppId = "bad" };

        Assert.False(options.Enabled);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Complete_settings_validate()
    {
        Assert.True(Valid().Enabled);
        Assert.Empty(Valid().Validate());
        Assert.Equal(new Uri("https://api.weixin.qq.com"), Valid().ApiBaseUrl);
    }

    [Fact]
    public void Plaintext_mode_needs_no_EncodingAesKey()
    {
        var options = Valid();
        options.EncodingAesKey = null;

        Assert.Empty(options.Validate());
        Assert.False(options.EncryptionEnabled);
    }

    [Theory]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    public void A_malformed_EncodingAesKey_is_reported(string key)
    {
        var options = Valid();
        options.EncodingAesKey = key;

        Assert.Contains(options.Validate(), problem => problem.Contains("EncodingAesKey", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_credentials_and_a_bad_token_are_reported()
    {
        var options = new WeChatOptions { Token = "a!" };

        var problems = options.Validate();

        Assert.Contains(problems, problem => problem.Contains("Token", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.Contains("AppId", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.Contains("AppSecret", StringComparison.Ordinal));
    }

    [Fact]
    public void Template_fields_without_a_template_are_reported()
    {
        var options = Valid();
        options.TemplateFields["thing1"] = "{caseId}";

        Assert.Contains(options.Validate(), problem => problem.Contains("TemplateId", StringComparison.Ordinal));
    }
}
