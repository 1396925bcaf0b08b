using System.Security.Cryptography;
using System.Text;

namespace HotlineBot.WeChat.Protocol;

/// <summary>
/// The SHA1 signatures WeChat puts on every push, so the endpoint only answers WeChat: <c>signature</c> over
/// token, timestamp and nonce (the handshake and every push), <c>msg_signature</c> over the same plus the
/// <c>Encrypt</c> field (encrypted modes). The parts are sorted ORDINALLY (code-unit order, as WeChat does);
/// .NET's default culture-sensitive sort gives a different order and a different hash.
/// </summary>
public static class WeChatSignature
{
    /// <summary>Lower-case hex SHA1 of <paramref name="parts"/> sorted ordinally and concatenated without separator.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "SHA1 is WeChat's signature algorithm; we must compute what WeChat computes.")]
    public static string Compute(params ReadOnlySpan<string> parts)
    {
        var sorted = parts.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(sorted)));
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>The <c>signature</c> query parameter: SHA1 of token, timestamp and nonce.</summary>
    public static string Handshake(string token, string timestamp, string nonce) => Compute(token, timestamp, nonce);

    /// <summary>The <c>msg_signature</c> query parameter (and reply <c>MsgSignature</c>): SHA1 of token, timestamp, nonce and the Encrypt text.</summary>
    public static string Message(string token, string timestamp, string nonce, string encrypt) => Compute(token, timestamp, nonce, encrypt);

    /// <summary>True when <paramref name="signature"/> (from the query) equals <see cref="Handshake"/>; compared in constant time. Missing values never verify.</summary>
    public static bool VerifyHandshake(string token, string? timestamp, string? nonce, string? signature) =>
        timestamp is not null && nonce is not null && Matches(signature, Handshake(token, timestamp, nonce));

    /// <summary>True when <paramref name="msgSignature"/> (from the query) equals <see cref="Message"/>; compared in constant time. Missing values never verify.</summary>
    public static bool VerifyMessage(string token, string? timestamp, string? nonce, string? encrypt, string? msgSignature) =>
        timestamp is not null && nonce is not null && encrypt is not null && Matches(msgSignature, Message(token, timestamp, nonce, encrypt));

    private static bool Matches(string? given, string expected)
    {
        if (given is null || given.Length != expected.Length)
        {
            return false;
        }

        // Hex digits only; WeChat sends lower case, upper case is accepted as the same hash.
        return CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(given.ToLowerInvariant()),
            Encoding.ASCII.GetBytes(expected));
    }
}
