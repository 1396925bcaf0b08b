using HotlineBot.WeChat.Protocol;

namespace HotlineBot.WeChat.Tests.Protocol;

public sealed class WeChatSignatureTests
{
    [Fact]
    public void Handshake_matches_the_published_worked_example()
    {
        Assert.Equal("f464b24fc39322e44b38aa78f5edd27bd1441696", WeChatSignature.Handshake("AAAAA", "1714036504", "1514711492"));
        Assert.True(WeChatSignature.VerifyHandshake("AAAAA", "1714036504", "1514711492", "f464b24fc39322e44b38aa78f5edd27bd1441696"));
    }

    [Fact]
    public void Message_signature_matches_the_published_reply_vector()
    {
        const string encrypt = "ELGduP2YcVatjqIS+eZbp80MNLoAUWvzzyJxgGzxZO/5sAvd070Bs6qrLARC9nVHm48Y4hyRbtzve1L32tmxSQ==";

        Assert.Equal("1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1", WeChatSignature.Message("AAAAA", "1713424427", "415670741", encrypt));
        Assert.True(WeChatSignature.VerifyMessage("AAAAA", "1713424427", "415670741", encrypt, "1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1"));
    }

    [Fact]
    public void Parts_are_sorted_ordinally_not_by_culture()
    {
        // Culture order puts "abc" before "ELG…"; WeChat (code-unit order) puts "ELG…" first.
        string[] parts = ["abc", "1714112445", "415670741", "ELGduP2Y+/x"];
        var cultureSorted = parts.ToArray();
        Array.Sort(cultureSorted, StringComparer.InvariantCulture);
        Assert.Equal(["1714112445", "415670741", "abc", "ELGduP2Y+/x"], cultureSorted);

        // A single part is hashed as is: the concatenation in each order.
        var ordinal = WeChatSignature.Compute("1714112445415670741ELGduP2Y+/xabc");
        var culture = WeChatSignature.Compute(string.Concat(cultureSorted));

        Assert.Equal(ordinal, WeChatSignature.Compute(parts));
        Assert.NotEqual(culture, WeChatSignature.Compute(parts));
    }

    [Theory]
    [InlineData("f464b24fc39322e44b38aa78f5edd27bd1441697")]
    [InlineData("f464b24f")]
    [InlineData("")]
    [InlineData(null)]
    public void A_wrong_or_missing_signature_never_verifies(string? signature)
    {
        Assert.False(WeChatSignature.VerifyHandshake("AAAAA", "1714036504", "1514711492", signature));
    }

    [Fact]
    public void Missing_query_parts_never_verify()
    {
        Assert.False(WeChatSignature.VerifyHandshake("AAAAA", null, "1514711492", "f464b24fc39322e44b38aa78f5edd27bd1441696"));
        Assert.False(WeChatSignature.VerifyMessage("AAAAA", "1713424427", "415670741", null, "1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1"));
    }
}
