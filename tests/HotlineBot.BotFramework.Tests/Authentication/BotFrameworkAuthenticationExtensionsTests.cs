using HotlineBot.BotFramework.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HotlineBot.BotFramework.Tests.Authentication;

public sealed class BotFrameworkAuthenticationExtensionsTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WithoutAnAppId_LocalTrafficIsAnonymous_AndNoTokenIsSent()
    {
        using var services = ChannelKeyServer.BuildServices(new Dictionary<string, string?>());

        var authenticator = services.GetRequiredService<IChannelAuthenticator>();
        var credentials = services.GetRequiredService<IAppCredentials>();

        Assert.IsType<AnonymousAuthenticator>(authenticator);
        Assert.IsType<AnonymousAuthenticator>(credentials);
        var identity = await authenticator.AuthenticateAsync(null, ChannelKeyServer.Message(), Cancel);
        Assert.False(identity.IsAuthenticated);
        Assert.Null(await credentials.GetTokenAsync(Cancel));
    }

    [Fact]
    public void WithTheSamplesTopLevelKeys_TheBotAuthenticates()
    {
        using var services = ChannelKeyServer.BuildServices(new Dictionary<string, string?>
        {
            ["MicrosoftAppId"] = "top-level-app-id",
            ["MicrosoftAppPassword"] = "top-level-password",
            ["MicrosoftAppTenantId"] = "top-level-tenant",
        });

        var options = services.GetRequiredService<IOptions<BotFrameworkOptions>>().Value;

        Assert.Equal("top-level-app-id", options.MicrosoftAppId);
        Assert.Equal("top-level-password", options.MicrosoftAppPassword);
        Assert.Equal("top-level-tenant", options.MicrosoftAppTenantId);
        Assert.IsType<JwtChannelAuthenticator>(services.GetRequiredService<IChannelAuthenticator>());
        Assert.IsType<MsalAppCredentials>(services.GetRequiredService<IAppCredentials>());
        Assert.Same(services.GetRequiredService<IChannelAuthenticator>(), services.GetRequiredService<IChannelAuthenticator>());
        Assert.Same(services.GetRequiredService<IAppCredentials>(), services.GetRequiredService<IAppCredentials>());
    }

    [Fact]
    public void TheBotFrameworkSection_WinsOverTheTopLevelKeys()
    {
        using var services = ChannelKeyServer.BuildServices(new Dictionary<string, string?>
        {
            ["MicrosoftAppId"] = "top-level-app-id",
            ["MicrosoftAppPassword"] = "top-level-password",
            ["BotFramework:MicrosoftAppId"] = "section-app-id",
        });

        var options = services.GetRequiredService<IOptions<BotFrameworkOptions>>().Value;

        Assert.Equal("section-app-id", options.MicrosoftAppId);
        Assert.Equal("top-level-password", options.MicrosoftAppPassword);
    }

    [Fact]
    public void AnAppIdWithoutAPassword_FailsValidation()
    {
        using var services = ChannelKeyServer.BuildServices(new Dictionary<string, string?>
        {
            ["BotFramework:MicrosoftAppId"] = "app-id-without-password",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<BotFrameworkOptions>>().Value);

        Assert.Contains("MicrosoftAppPassword", error.Message, StringComparison.Ordinal);
    }
}
