using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using HotlineBot.BotFramework.DirectLine;

namespace HotlineBot.BotFramework.Tests.DirectLine;

public sealed class DirectLineTokensTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private readonly TestClock _clock = new();

    [Fact]
    public async Task IssuedToken_IsValid_ForItsConversationAndUser_UntilItExpires()
    {
        var tokens = new DirectLineTokens(RandomNumberGenerator.GetBytes(64), Hour, _clock);
        var issued = tokens.Issue("conv-1", "dl_user");

        var check = await tokens.ValidateAsync(issued.Token);

        Assert.Equal(TokenStatus.Valid, check.Status);
        Assert.Equal("conv-1", check.Token!.ConversationId);
        Assert.Equal("dl_user", check.Token.UserId);
        Assert.Equal(_clock.GetUtcNow() + Hour, check.Token.ExpiresAt);
        Assert.Equal(3600, tokens.SecondsLeft(issued));
    }

    [Fact]
    public async Task Token_IsExpired_OnceItsLifetimeHasPassed_AndNotBefore()
    {
        var tokens = new DirectLineTokens(RandomNumberGenerator.GetBytes(64), TimeSpan.FromSeconds(10), _clock);
        var issued = tokens.Issue("conv-1", "dl_user");

        _clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(TokenStatus.Valid, (await tokens.ValidateAsync(issued.Token)).Status);
        Assert.Equal(1, tokens.SecondsLeft(issued));

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TokenStatus.Expired, (await tokens.ValidateAsync(issued.Token)).Status);
    }

    [Fact]
    public async Task Token_FromAnotherKey_IsInvalid()
    {
        var ours = new DirectLineTokens(RandomNumberGenerator.GetBytes(64), Hour, _clock);
        var theirs = new DirectLineTokens(RandomNumberGenerator.GetBytes(64), Hour, _clock);

        var check = await ours.ValidateAsync(theirs.Issue("conv-1", "dl_user").Token);

        Assert.Equal(TokenStatus.Invalid, check.Status);
        Assert.Null(check.Token);
    }

    [Fact]
    public async Task Token_WithItsConversationChanged_IsInvalid()
    {
        var tokens = new DirectLineTokens(RandomNumberGenerator.GetBytes(64), Hour, _clock);
        var parts = tokens.Issue("conv-1", "dl_user").Token.Split('.');
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!;
        payload["conv"] = "conv-2";
        var forged = string.Join('.', parts[0], Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString())), parts[2]);

        Assert.Equal(TokenStatus.Invalid, (await tokens.ValidateAsync(forged)).Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("a.b.c")]
    public async Task Garbage_IsInvalid(string token)
    {
        var tokens = new DirectLineTokens(RandomNumberGenerator.GetBytes(64), Hour, _clock);

        Assert.Equal(TokenStatus.Invalid, (await tokens.ValidateAsync(token)).Status);
    }

    [Fact]
    public void Token_IsAJwt_CarryingTheUserAndConversation_AsDirectLineJsReadsThem()
    {
        var tokens = new DirectLineTokens(RandomNumberGenerator.GetBytes(64), Hour, _clock);

        var parts = tokens.Issue("conv-1", "dl_user").Token.Split('.');

        Assert.Equal(3, parts.Length);
        var header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0]))!;
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!;
        Assert.Equal("HS256", (string?)header["alg"]);
        Assert.Equal("dl_user", (string?)payload["user"]);
        Assert.Equal("conv-1", (string?)payload["conv"]);
        Assert.Equal(_clock.GetUtcNow().ToUnixTimeSeconds() + 3600, (long)payload["exp"]!);
    }

    [Fact]
    public void NewIds_AreUrlSafe_AndUnique()
    {
        var conversations = Enumerable.Range(0, 100).Select(_ => DirectLineTokens.NewConversationId()).ToList();
        var users = Enumerable.Range(0, 100).Select(_ => DirectLineTokens.NewUserId()).ToList();

        Assert.All(conversations.Concat(users), id => Assert.Equal(id, Uri.EscapeDataString(id)));
        Assert.All(users, id => Assert.StartsWith("dl_", id, StringComparison.Ordinal));
        Assert.Equal(100, conversations.Distinct().Count());
        Assert.Equal(100, users.Distinct().Count());
    }

    [Theory]
    [InlineData("conv/../other")]
    [InlineData("conv?x=1")]
    [InlineData("")]
    public void Issue_RefusesIdsThatAreNotUrlSafe(string conversationId)
    {
        var tokens = new DirectLineTokens(RandomNumberGenerator.GetBytes(64), Hour, _clock);

        Assert.Throws<ArgumentException>(() => tokens.Issue(conversationId, "dl_user"));
    }

    [Fact]
    public void Key_ShorterThan256Bits_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new DirectLineTokens(new byte[16], Hour, TimeProvider.System));
}
