using HotlineBot.WeChat.Protocol;
using Microsoft.AspNetCore.WebUtilities;

namespace HotlineBot.WeChat.Tests.Protocol;

/// <summary>The push builder host tests rely on produces what WeChat sends, checked with the protocol classes.</summary>
public sealed class WeChatPushBuilderTests
{
    private const string Token = "AAAAA";
    private const string AppId = "wxba5fad812f8e6fb9";
    private static readonly string Key = new('A', 43);

    private readonly WeChatPushBuilder _builder = new(Token, AppId, Key);

    [Fact]
    public void The_handshake_is_signed_and_carries_the_echostr()
    {
        var query = QueryHelpers.ParseQuery(_builder.Handshake("12345").Query);

        Assert.True(WeChatSignature.VerifyHandshake(Token, query["timestamp"], query["nonce"], query["signature"]));
        Assert.Equal("12345", query["echostr"].ToString());
    }

    [Fact]
    public void A_plaintext_push_is_signed_and_names_the_sender()
    {
        var push = _builder.Plaintext(_builder.Text("oUser1", "您好"));
        var query = QueryHelpers.ParseQuery(push.Query);

        Assert.True(WeChatSignature.VerifyHandshake(Token, query["timestamp"], query["nonce"], query["signature"]));
        Assert.Equal("oUser1", query["openid"].ToString());
        Assert.False(query.ContainsKey("encrypt_type"));
        Assert.Equal("您好", WeChatXml.Parse(push.Body).Content);
    }

    [Fact]
    public void A_safe_push_verifies_and_decrypts_to_the_message()
    {
        var push = _builder.Safe(_builder.Event("oUser1", "CLICK", "HELP"));
        var query = QueryHelpers.ParseQuery(push.Query);
        var outer = WeChatXml.Parse(push.Body);

        Assert.Equal("aes", query["encrypt_type"].ToString());
        Assert.Null(outer.MsgType);
        Assert.True(WeChatSignature.VerifyMessage(Token, query["timestamp"], query["nonce"], outer.Encrypt, query["msg_signature"]));
        var inner = WeChatXml.Parse(new WeChatCrypto(Key, AppId).Decrypt(outer.Encrypt!));
        Assert.Equal("HELP", inner.EventKey);
        Assert.Equal("oUser1", inner.FromUserName);
    }

    [Fact]
    public void A_compatible_push_has_both_the_plain_fields_and_the_encrypted_copy()
    {
        var push = _builder.Compatible(_builder.Text("oUser1", "工资"));
        var query = QueryHelpers.ParseQuery(push.Query);
        var outer = WeChatXml.Parse(push.Body);

        Assert.Equal("工资", outer.Content);
        Assert.True(WeChatSignature.VerifyMessage(Token, query["timestamp"], query["nonce"], outer.Encrypt, query["msg_signature"]));
        Assert.Equal(outer.MsgId, WeChatXml.Parse(new WeChatCrypto(Key, AppId).Decrypt(outer.Encrypt!)).MsgId);
    }
}
