using System.Text;
using HotlineBot.WeChat.Protocol;

namespace HotlineBot.WeChat.Tests.Protocol;

public sealed class WeChatCryptoTests
{
    private const string Key = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private const string AppId = "wxba5fad812f8e6fb9";

    // The published safe-mode push (a JSON event) and reply.
    private const string PushedEncrypt = "+qdx1OKCy+5JPCBFWw70tm0fJGb2Jmeia4FCB7kao+/Q5c/ohsOzQHi8khUOb05JCpj0JB4RvQMkUyus8TPxLKJGQqcvZqzDpVzazhZv6JsXUnnR8XGT740XgXZUXQ7vJVnAG+tE8NUd4yFyjPy7GgiaviNrlCTj+l5kdfMuFUPpRSrfMZuMcp3Fn2Pede2IuQrKEYwKSqFIZoNqJ4M8EajAsjLY2km32IIjdf8YL/P50F7mStwntrA2cPDrM1kb6mOcfBgRtWygb3VIYnSeOBrebufAlr7F9mFUPAJGj04=";
    private const string ReplyEncrypt = "ELGduP2YcVatjqIS+eZbp80MNLoAUWvzzyJxgGzxZO/5sAvd070Bs6qrLARC9nVHm48Y4hyRbtzve1L32tmxSQ==";

    private readonly WeChatCrypto _crypto = new(Key, AppId);

    [Fact]
    public void Encrypt_reproduces_the_published_reply_byte_for_byte()
    {
        Assert.Equal(ReplyEncrypt, _crypto.Encrypt("{\"demo_resp\":\"good luck\"}", "707722b803182950"u8));
    }

    [Fact]
    public void EncryptReply_reproduces_the_published_envelope_and_signature()
    {
        var envelope = WeChatXml.Parse(_crypto.EncryptReply("AAAAA", "{\"demo_resp\":\"good luck\"}", 1713424427, "415670741", "707722b803182950"u8));

        Assert.Equal(ReplyEncrypt, envelope.Encrypt);
        Assert.Equal("1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1", envelope.Fields["MsgSignature"]);
        Assert.Equal("1713424427", envelope.Fields["TimeStamp"]);
        Assert.Equal("415670741", envelope.Fields["Nonce"]);
    }

    [Fact]
    public void The_published_push_verifies_and_decrypts_to_its_167_byte_event()
    {
        Assert.True(WeChatSignature.VerifyMessage("AAAAA", "1714112445", "415670741", PushedEncrypt, "046e02f8204d34f8ba5fa3b1db94908f3df2e9b3"));

        var message = _crypto.Decrypt(PushedEncrypt);

        Assert.Equal(167, Encoding.UTF8.GetByteCount(message));
        Assert.Contains("\"Event\":\"debug_demo\"", message, StringComparison.Ordinal);
        Assert.Contains("\"ToUserName\":\"gh_97417a04a28d\"", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("您好，我想咨询工资拖欠的问题。")]
    [InlineData("emoji 😀 and 中文 mixed")]
    public void Round_trips_with_multi_byte_lengths(string message)
    {
        Assert.Equal(message, _crypto.Decrypt(_crypto.Encrypt(message)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(64)]
    public void Round_trips_when_the_plaintext_is_32_byte_aligned_and_around_it(int extra)
    {
        // 20 header bytes + 18 AppID bytes = 38; 26 message bytes make 64: aligned, so a whole 32-byte block of padding.
        var message = new string('x', 26 + extra);
        var cipher = Convert.FromBase64String(_crypto.Encrypt(message));

        Assert.Equal(0, cipher.Length % 32);
        Assert.Equal(message, _crypto.Decrypt(Convert.ToBase64String(cipher)));
    }

    [Fact]
    public void An_aligned_message_gets_a_full_block_of_padding()
    {
        Assert.Equal(96, Convert.FromBase64String(_crypto.Encrypt(new string('x', 26))).Length);
    }

    [Fact]
    public void A_message_for_another_AppId_is_refused()
    {
        var other = new WeChatCrypto(Key, "wx0000000000000000");

        var error = Assert.Throws<WeChatCryptoException>(() => other.Decrypt(PushedEncrypt));
        Assert.Equal(WeChatCryptoError.AppIdMismatch, error.Error);
    }

    [Fact]
    public void A_wrong_key_is_refused_as_bad_padding_or_length()
    {
        var wrongKey = new WeChatCrypto("BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB", AppId);

        var error = Assert.Throws<WeChatCryptoException>(() => wrongKey.Decrypt(PushedEncrypt));
        Assert.Contains(error.Error, new[] { WeChatCryptoError.InvalidPadding, WeChatCryptoError.InvalidMessageLength, WeChatCryptoError.AppIdMismatch });
    }

    [Fact]
    public void Bad_padding_is_refused()
    {
        // A block whose last byte decrypts to 0 (no valid PKCS#7 over 32 bytes): encrypt it with the same key and IV, no padding.
        using var aes = System.Security.Cryptography.Aes.Create();
        aes.Key = Convert.FromBase64String(Key + "=");
        var cipher = aes.EncryptCbc(new byte[32], aes.Key[..16], System.Security.Cryptography.PaddingMode.None);

        var error = Assert.Throws<WeChatCryptoException>(() => _crypto.Decrypt(Convert.ToBase64String(cipher)));
        Assert.Equal(WeChatCryptoError.InvalidPadding, error.Error);
    }

    [Fact]
    public void A_length_field_pointing_outside_the_plaintext_is_refused()
    {
        using var aes = System.Security.Cryptography.Aes.Create();
        aes.Key = Convert.FromBase64String(Key + "=");
        var plain = new byte[64];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(plain.AsSpan(16, 4), 1000);
        plain.AsSpan(32).Fill(32);
        var cipher = aes.EncryptCbc(plain, aes.Key[..16], System.Security.Cryptography.PaddingMode.None);

        var error = Assert.Throws<WeChatCryptoException>(() => _crypto.Decrypt(Convert.ToBase64String(cipher)));
        Assert.Equal(WeChatCryptoError.InvalidMessageLength, error.Error);
    }

    [Theory]
    [InlineData("not base64!", WeChatCryptoError.InvalidBase64)]
    [InlineData("AAAA", WeChatCryptoError.InvalidLength)]
    [InlineData("", WeChatCryptoError.InvalidLength)]
    public void Malformed_ciphertext_is_refused(string encrypt, WeChatCryptoError expected)
    {
        Assert.Equal(expected, Assert.Throws<WeChatCryptoException>(() => _crypto.Decrypt(encrypt)).Error);
    }

    [Theory]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+")]
    public void A_malformed_EncodingAesKey_is_refused_at_construction(string key)
    {
        Assert.Throws<ArgumentException>(() => new WeChatCrypto(key, AppId));
    }
}
