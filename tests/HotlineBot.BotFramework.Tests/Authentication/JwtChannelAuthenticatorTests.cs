using System.Text;
using HotlineBot.BotFramework.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace HotlineBot.BotFramework.Tests.Authentication;

public sealed class JwtChannelAuthenticatorTests(ChannelKeyServer server) : IClassFixture<ChannelKeyServer>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ValidChannelToken_IsAccepted_WithItsClaims()
    {
        using var services = server.Services();
        var authenticator = services.GetRequiredService<IChannelAuthenticator>();

        var identity = await authenticator.AuthenticateAsync("Bearer " + server.Token(), ChannelKeyServer.Message(), Cancel);

        Assert.IsType<JwtChannelAuthenticator>(authenticator);
        Assert.True(identity.IsAuthenticated);
        Assert.Equal(ChannelKeyServer.AppId, identity.FindFirst("aud")?.Value);
        Assert.Equal(ChannelKeyServer.ServiceUrl, identity.FindFirst("serviceurl")?.Value);
    }

    [Fact]
    public async Task TokenWithKeyEndorsedForTheChannel_IsAccepted_ForThatChannelOnly()
    {
        using var services = server.Services();
        var authenticator = services.GetRequiredService<IChannelAuthenticator>();
        var teamsToken = "Bearer " + server.Token(keyId: ChannelKeyServer.TeamsKeyId);

        var identity = await authenticator.AuthenticateAsync(teamsToken, ChannelKeyServer.Message(channelId: "msteams"), Cancel);

        Assert.True(identity.IsAuthenticated);
    }

    [Fact]
    public async Task TokenExpiredWithinTheClockSkew_IsAccepted()
    {
        using var services = server.Services();
        var authenticator = services.GetRequiredService<IChannelAuthenticator>();

        var identity = await authenticator.AuthenticateAsync(
            "Bearer " + server.Token(expiresIn: TimeSpan.FromMinutes(-2)), ChannelKeyServer.Message(), Cancel);

        Assert.True(identity.IsAuthenticated);
    }

    [Fact]
    public async Task TokenForAnotherBot_IsRejected_AsWrongAudience()
    {
        var reason = await RejectionAsync("Bearer " + server.Token(audience: "another-bot-app-id"));

        Assert.Equal("wrong audience", reason);
    }

    [Fact]
    public async Task TokenFromAnotherIssuer_IsRejected_AsWrongIssuer()
    {
        var reason = await RejectionAsync("Bearer " + server.Token(issuer: "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/"));

        Assert.Equal("wrong issuer", reason);
    }

    [Fact]
    public async Task TokenExpiredBeyondTheClockSkew_IsRejected()
    {
        var reason = await RejectionAsync("Bearer " + server.Token(expiresIn: TimeSpan.FromMinutes(-10)));

        Assert.Equal("the token has expired", reason);
    }

    [Fact]
    public async Task TokenSignedWithAnotherKeyUnderAChannelKeyId_IsRejected_AsBadSignature()
    {
        var reason = await RejectionAsync("Bearer " + server.Token(signWithStrangerKey: true));

        Assert.Equal("bad signature", reason);
    }

    [Fact]
    public async Task TokenSignedWithAKeyTheChannelDoesNotPublish_IsRejected()
    {
        var reason = await RejectionAsync("Bearer " + server.Token(keyId: "key-unknown", signWithStrangerKey: true));

        Assert.Equal("the token's signing key is not among the channel's keys", reason);
    }

    [Fact]
    public async Task TokenSignedWithAKeyNotEndorsedForTheChannel_IsRejected()
    {
        // The Teams-only key signs a token for a webchat activity.
        var reason = await RejectionAsync("Bearer " + server.Token(keyId: ChannelKeyServer.TeamsKeyId));

        Assert.Equal("the signing key is not endorsed for the activity's channel", reason);
    }

    [Fact]
    public async Task TokenForAnotherServiceUrl_IsRejected()
    {
        var reason = await RejectionAsync("Bearer " + server.Token(serviceUrl: "https://attacker.example/"));

        Assert.Equal("the token's serviceurl does not match the activity's serviceUrl", reason);
    }

    [Fact]
    public async Task TokenWithoutServiceUrlClaim_IsRejected()
    {
        var reason = await RejectionAsync("Bearer " + server.Token(serviceUrl: null));

        Assert.Equal("the token has no serviceurl claim", reason);
    }

    [Fact]
    public async Task UnsignedToken_IsRejected()
    {
        var header = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes("""{"alg":"none","typ":"JWT"}"""));
        var expires = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        var payload = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(
            $$"""{"iss":"{{ChannelKeyServer.Issuer}}","aud":"{{ChannelKeyServer.AppId}}","exp":{{expires}},"serviceurl":"{{ChannelKeyServer.ServiceUrl}}"}"""));

        var reason = await RejectionAsync($"Bearer {header}.{payload}.");

        Assert.Equal("bad signature", reason);
    }

    [Theory]
    [InlineData(null, "no Authorization header")]
    [InlineData("", "no Authorization header")]
    [InlineData("Bearer", "the Authorization header is not a Bearer token")]
    [InlineData("Basic dXNlcjpwYXNz", "the Authorization header is not a Bearer token")]
    [InlineData("Bearer not-a-jwt", "malformed token")]
    public async Task MissingOrMalformedAuthorization_IsRejected(string? header, string expectedReason)
    {
        var reason = await RejectionAsync(header);

        Assert.Equal(expectedReason, reason);
    }

    [Fact]
    public async Task SigningKeys_AreFetchedOnce_AndServedFromCacheAfterwards()
    {
        using var services = server.Services();
        var authenticator = services.GetRequiredService<IChannelAuthenticator>();
        var metadataBefore = server.MetadataRequests;
        var keysBefore = server.KeyRequests;

        for (var i = 0; i < 3; i++)
        {
            await authenticator.AuthenticateAsync("Bearer " + server.Token(), ChannelKeyServer.Message(), Cancel);
        }

        Assert.Equal(metadataBefore + 1, server.MetadataRequests);
        Assert.Equal(keysBefore + 1, server.KeyRequests);
    }

    [Fact]
    public async Task KeyPublishedAfterTheKeysWereCached_IsFetched_AndAccepted()
    {
        using var services = server.Services();
        var authenticator = services.GetRequiredService<IChannelAuthenticator>();
        await authenticator.AuthenticateAsync("Bearer " + server.Token(), ChannelKeyServer.Message(), Cancel);

        server.PublishRotatedKey();
        var identity = await authenticator.AuthenticateAsync(
            "Bearer " + server.Token(keyId: ChannelKeyServer.RotatedKeyId), ChannelKeyServer.Message(), Cancel);

        Assert.True(identity.IsAuthenticated);
    }

    [Fact]
    public async Task UnreachableMetadata_IsRejected_NotThrownAsAnotherError()
    {
        using var services = ChannelKeyServer.BuildServices(new Dictionary<string, string?>
        {
            ["BotFramework:MicrosoftAppId"] = ChannelKeyServer.AppId,
            ["BotFramework:MicrosoftAppPassword"] = "secret",
            ["BotFramework:OpenIdMetadataUrl"] = new Uri(server.BaseAddress, "no-such-document").AbsoluteUri,
        });
        var authenticator = services.GetRequiredService<IChannelAuthenticator>();

        var error = await Assert.ThrowsAsync<UnauthorizedAccessException>(
            () => authenticator.AuthenticateAsync("Bearer " + server.Token(), ChannelKeyServer.Message(), Cancel));

        Assert.Equal("the channel's signing keys are unavailable", error.Message);
    }

    private async Task<string> RejectionAsync(string? authorizationHeader)
    {
        using var services = server.Services();
        var authenticator = services.GetRequiredService<IChannelAuthenticator>();
        var error = await Assert.ThrowsAsync<UnauthorizedAccessException>(
            () => authenticator.AuthenticateAsync(authorizationHeader, ChannelKeyServer.Message(), Cancel));
        if (authorizationHeader is { Length: > 20 })
        {
            Assert.DoesNotContain(authorizationHeader[7..], error.Message, StringComparison.Ordinal);
        }

        return error.Message;
    }
}
