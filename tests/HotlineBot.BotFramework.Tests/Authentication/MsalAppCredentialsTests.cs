using HotlineBot.BotFramework.Authentication;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HotlineBot.BotFramework.Tests.Authentication;

public sealed class MsalAppCredentialsTests
{
    private const string AppId = "8f1c3a52-7c1e-4c55-9a4e-2f0d6b1e9a10";
    private const string Password = "app-password-for-tests";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetToken_ReturnsTheTokenEndpointsAccessToken_AndServesTheSecondCallFromCache()
    {
        await using var server = await TokenEndpointServer.StartAsync(Cancel);
        var credentials = Credentials(server);

        var first = await credentials.GetTokenAsync(Cancel);
        var second = await credentials.GetTokenAsync(Cancel);

        Assert.Equal("bot-token-1", first);
        Assert.Equal(first, second);
        var (tenant, form) = Assert.Single(server.TokenRequests);
        Assert.Equal("botframework.com", tenant);
        Assert.Equal("client_credentials", form["grant_type"]);
        Assert.Equal(AppId, form["client_id"]);
        Assert.Equal(Password, form["client_secret"]);
        Assert.Equal("https://api.botframework.com/.default", form["scope"]);
        Assert.Empty(server.UnknownRequests);
    }

    [Fact]
    public async Task GetToken_FetchesANewToken_WhenTheCachedOneIsAboutToExpire()
    {
        await using var server = await TokenEndpointServer.StartAsync(Cancel);
        server.ExpiresIn = 120; // inside MSAL's five-minute refresh margin
        var credentials = Credentials(server);

        var first = await credentials.GetTokenAsync(Cancel);
        var second = await credentials.GetTokenAsync(Cancel);

        Assert.Equal("bot-token-1", first);
        Assert.Equal("bot-token-2", second);
        Assert.Equal(2, server.TokenRequests.Count);
    }

    [Fact]
    public async Task GetToken_AsksTheConfiguredTenant_WhenTheBotIsSingleTenant()
    {
        await using var server = await TokenEndpointServer.StartAsync(Cancel);
        var credentials = Credentials(server, tenantId: "contoso-tenant-id");

        var token = await credentials.GetTokenAsync(Cancel);

        Assert.Equal("bot-token-1", token);
        Assert.Equal("contoso-tenant-id", Assert.Single(server.TokenRequests).Tenant);
        Assert.Empty(server.UnknownRequests);
    }

    [Fact]
    public async Task GetToken_ReportsARefusedSecret_AsAnHttpFailureWithoutTheSecret()
    {
        await using var server = await TokenEndpointServer.StartAsync(Cancel);
        server.TokenStatus = 401;
        var credentials = Credentials(server);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => credentials.GetTokenAsync(Cancel));

        Assert.Contains("invalid_client", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://login.microsoftonline.com/botframework.com", null, "https://login.microsoftonline.com/botframework.com")]
    [InlineData("https://login.microsoftonline.com/botframework.com/", "tenant-1", "https://login.microsoftonline.com/tenant-1")]
    [InlineData("https://login.microsoftonline.com", "tenant-1", "https://login.microsoftonline.com/tenant-1")]
    [InlineData("https://login.example/prefix/botframework.com", "tenant-1", "https://login.example/prefix/tenant-1")]
    public void Authority_PutsTheTenantInPlaceOfTheDefaultOne(string authority, string? tenantId, string expected)
    {
        Assert.Equal(expected, MsalAppCredentials.Authority(authority, tenantId));
    }

    private static MsalAppCredentials Credentials(TokenEndpointServer server, string? tenantId = null)
    {
        var options = Options.Create(new BotFrameworkOptions
        {
            MicrosoftAppId = AppId,
            MicrosoftAppPassword = Password,
            MicrosoftAppTenantId = tenantId,
            OAuthAuthority = new Uri(server.BaseAddress, "botframework.com").AbsoluteUri,
        });
        return new MsalAppCredentials(options, NullLogger<MsalAppCredentials>.Instance, server.HttpClientFactory);
    }
}
