namespace HotlineBot.WeChat.Protocol;

/// <summary>Why an encrypted push was refused, so the endpoint can log it and answer 400 without guessing.</summary>
public enum WeChatCryptoError
{
    /// <summary>The Encrypt text is not base64.</summary>
    InvalidBase64,

    /// <summary>The ciphertext is not a whole number of AES blocks, or too short to hold the header.</summary>
    InvalidLength,

    /// <summary>The PKCS#7 padding (32-byte blocks) is wrong: a wrong key, or a damaged message.</summary>
    InvalidPadding,

    /// <summary>The big-endian length field points outside the plaintext.</summary>
    InvalidMessageLength,

    /// <summary>The message is not UTF-8.</summary>
    InvalidText,

    /// <summary>The AppID at the end of the plaintext is not ours: meant for another account.</summary>
    AppIdMismatch,
}

/// <summary>A safe-mode message that cannot be decrypted or is not meant for this account; never a bug in our code.</summary>
public sealed class WeChatCryptoException : Exception
{
    public WeChatCryptoException(WeChatCryptoError error, string message)
        : base(message)
    {
        Error = error;
    }

    public WeChatCryptoException(WeChatCryptoError error, string message, Exception innerException)
        : base(message, innerException)
    {
        Error = error;
    }

    public WeChatCryptoError Error { get; }
}
