using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace HotlineBot.WeChat.Protocol;

/// <summary>
/// Safe-mode (安全模式) message encryption: AES-256-CBC with the key from the 43-character EncodingAESKey and IV =
/// the key's first 16 bytes, over random(16) + big-endian UTF-8 byte length(4) + message + AppID, padded PKCS#7
/// style to 32-byte blocks. The padding is done here by hand: .NET's PKCS7 mode works on 16-byte blocks and
/// refuses WeChat's ciphertext.
/// </summary>
public sealed class WeChatCrypto
{
    /// <summary>WeChat pads to 32 bytes, not to the AES block size.</summary>
    private const int PadBlock = 32;
    private const int RandomLength = 16;
    private const int HeaderLength = RandomLength + 4;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[] _key;
    private readonly byte[] _iv;
    private readonly byte[] _appId;

    /// <param name="encodingAesKey">The account's EncodingAESKey: 43 characters [A-Za-z0-9].</param>
    /// <param name="appId">The account's AppID; decrypted messages must end with it.</param>
    public WeChatCrypto(string encodingAesKey, string appId)
    {
        ArgumentException.ThrowIfNullOrEmpty(appId);
        if (!WeChatOptions.IsValidEncodingAesKey(encodingAesKey))
        {
            throw new ArgumentException("The EncodingAESKey must be 43 characters [A-Za-z0-9].", nameof(encodingAesKey));
        }

        _key = Convert.FromBase64String(encodingAesKey + "=");
        _iv = _key[..16];
        _appId = Encoding.UTF8.GetBytes(appId);
    }

    /// <summary>Encrypts <paramref name="message"/> for a reply; <paramref name="random"/> (16 bytes) is for tests only, otherwise fresh random bytes are used.</summary>
    public string Encrypt(string message, ReadOnlySpan<byte> random = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!random.IsEmpty && random.Length != RandomLength)
        {
            throw new ArgumentException($"The random prefix must be {RandomLength} bytes.", nameof(random));
        }

        var body = Encoding.UTF8.GetBytes(message);
        var length = HeaderLength + body.Length + _appId.Length;
        var pad = PadBlock - (length % PadBlock);
        var plain = new byte[length + pad];
        if (random.IsEmpty)
        {
            RandomNumberGenerator.Fill(plain.AsSpan(0, RandomLength));
        }
        else
        {
            random.CopyTo(plain);
        }

        BinaryPrimitives.WriteInt32BigEndian(plain.AsSpan(RandomLength, 4), body.Length);
        body.CopyTo(plain, HeaderLength);
        _appId.CopyTo(plain, HeaderLength + body.Length);
        plain.AsSpan(length).Fill((byte)pad);

        using var aes = Aes.Create();
        aes.Key = _key;
        return Convert.ToBase64String(aes.EncryptCbc(plain, _iv, PaddingMode.None));
    }

    /// <summary>Decrypts a push's <c>Encrypt</c> field; throws <see cref="WeChatCryptoException"/> for anything not a sound message for our AppID.</summary>
    public string Decrypt(string encrypted)
    {
        ArgumentNullException.ThrowIfNull(encrypted);
        byte[] cipher;
        try
        {
            cipher = Convert.FromBase64String(encrypted);
        }
        catch (FormatException e)
        {
            throw new WeChatCryptoException(WeChatCryptoError.InvalidBase64, "The Encrypt field is not base64.", e);
        }

        if (cipher.Length == 0 || cipher.Length % 16 != 0)
        {
            throw new WeChatCryptoException(WeChatCryptoError.InvalidLength, $"The ciphertext is {cipher.Length} bytes, not a whole number of AES blocks.");
        }

        using var aes = Aes.Create();
        aes.Key = _key;
        var plain = aes.DecryptCbc(cipher, _iv, PaddingMode.None);

        int pad = plain[^1];
        if (pad is < 1 or > PadBlock || pad > plain.Length || plain.AsSpan(plain.Length - pad).ContainsAnyExcept((byte)pad))
        {
            throw new WeChatCryptoException(WeChatCryptoError.InvalidPadding, "The padding is invalid: a wrong EncodingAESKey or a damaged message.");
        }

        var content = plain.AsSpan(0, plain.Length - pad);
        if (content.Length < HeaderLength)
        {
            throw new WeChatCryptoException(WeChatCryptoError.InvalidLength, "The plaintext is too short to hold the random prefix and the length.");
        }

        var messageLength = BinaryPrimitives.ReadInt32BigEndian(content.Slice(RandomLength, 4));
        if (messageLength < 0 || messageLength > content.Length - HeaderLength)
        {
            throw new WeChatCryptoException(WeChatCryptoError.InvalidMessageLength, $"The message length {messageLength} does not fit the {content.Length}-byte plaintext.");
        }

        var appId = content[(HeaderLength + messageLength)..];
        if (!appId.SequenceEqual(_appId))
        {
            throw new WeChatCryptoException(WeChatCryptoError.AppIdMismatch, "The message is for another AppID.");
        }

        try
        {
            return StrictUtf8.GetString(content.Slice(HeaderLength, messageLength));
        }
        catch (DecoderFallbackException e)
        {
            throw new WeChatCryptoException(WeChatCryptoError.InvalidText, "The message is not UTF-8.", e);
        }
    }

    /// <summary>
    /// The whole encrypted passive reply: encrypts <paramref name="replyXml"/> and wraps it, signed with
    /// <paramref name="token"/>, in the envelope of <see cref="WeChatXml.EncryptedReply"/>. <paramref name="nonce"/> may echo the push's nonce.
    /// </summary>
    public string EncryptReply(string token, string replyXml, long timeStamp, string nonce, ReadOnlySpan<byte> random = default)
    {
        var encrypt = Encrypt(replyXml, random);
        var timestamp = timeStamp.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return WeChatXml.EncryptedReply(encrypt, WeChatSignature.Message(token, timestamp, nonce, encrypt), timeStamp, nonce);
    }
}
