using System.Globalization;
using HotlineBot.WeChat.Protocol;

namespace HotlineBot.Testing;

/// <summary>One request as WeChat would send it to the endpoint: the query string (with its leading '?') and the body (empty for the handshake GET).</summary>
public sealed record WeChatPush(string Query, string Body)
{
    /// <summary>The endpoint path with this push's query, for example <c>/api/wechat?signature=…</c>.</summary>
    public string Url(string path) => path + Query;
}

/// <summary>
/// Builds what WeChat sends to the hotline's endpoint, signed with the account's Token (and encrypted with its
/// EncodingAESKey for the compatible and safe modes), so host tests drive the endpoint exactly as WeChat would.
/// </summary>
public sealed class WeChatPushBuilder(string token, string appId, string? encodingAesKey = null)
{
    /// <summary>The account's original id used in built messages.</summary>
    public const string AccountId = "gh_1234567890ab";

    private long _nextMsgId = 24_000_000_000_000_000;

    /// <summary>The Unix-seconds timestamp put on pushes; the current time unless a test sets it.</summary>
    public long? Timestamp { get; set; }

    /// <summary>The server-verification GET (signature, timestamp, nonce, echostr); the endpoint must answer the echostr.</summary>
    public WeChatPush Handshake(string echostr = "4375120948345356249")
    {
        var (timestamp, nonce) = Stamp();
        return new WeChatPush(Query(("signature", WeChatSignature.Handshake(token, timestamp, nonce)), ("timestamp", timestamp), ("nonce", nonce), ("echostr", echostr)), string.Empty);
    }

    /// <summary>明文 plaintext mode: the message XML as it is, signed.</summary>
    public WeChatPush Plaintext(string messageXml)
    {
        var (timestamp, nonce) = Stamp();
        return new WeChatPush(Query(("signature", WeChatSignature.Handshake(token, timestamp, nonce)), ("timestamp", timestamp), ("nonce", nonce), ("openid", OpenId(messageXml))), messageXml);
    }

    /// <summary>兼容 compatible mode: the plaintext fields and an &lt;Encrypt&gt; of the whole message in one body.</summary>
    public WeChatPush Compatible(string messageXml)
    {
        var encrypt = Crypto().Encrypt(messageXml);
        var close = messageXml.LastIndexOf("</xml>", StringComparison.Ordinal);
        var body = messageXml[..close] + "<Encrypt><![CDATA[" + encrypt + "]]></Encrypt>" + messageXml[close..];
        return Encrypted(messageXml, encrypt, body);
    }

    /// <summary>安全 safe mode: only the account id and the &lt;Encrypt&gt;.</summary>
    public WeChatPush Safe(string messageXml)
    {
        var encrypt = Crypto().Encrypt(messageXml);
        var to = WeChatXml.Parse(messageXml).ToUserName;
        return Encrypted(messageXml, encrypt, $"<xml><ToUserName><![CDATA[{to}]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>");
    }

    /// <summary>A user's text message XML (a new MsgId each time unless given).</summary>
    public string Text(string openId, string content, long? msgId = null) =>
        Message(openId, "text", $"<Content><![CDATA[{content}]]></Content><MsgId>{msgId ?? Interlocked.Increment(ref _nextMsgId)}</MsgId>");

    /// <summary>An event XML (subscribe, unsubscribe, CLICK with <paramref name="eventKey"/>…).</summary>
    public string Event(string openId, string eventName, string? eventKey = null) =>
        Message(openId, "event", $"<Event><![CDATA[{eventName}]]></Event>" + (eventKey is null ? string.Empty : $"<EventKey><![CDATA[{eventKey}]]></EventKey>"));

    private string Message(string openId, string type, string fields) =>
        $"<xml><ToUserName><![CDATA[{AccountId}]]></ToUserName><FromUserName><![CDATA[{openId}]]></FromUserName><CreateTime>{Now()}</CreateTime><MsgType><![CDATA[{type}]]></MsgType>{fields}</xml>";

    private WeChatPush Encrypted(string messageXml, string encrypt, string body)
    {
        var (timestamp, nonce) = Stamp();
        return new WeChatPush(
            Query(
                ("signature", WeChatSignature.Handshake(token, timestamp, nonce)),
                ("timestamp", timestamp),
                ("nonce", nonce),
                ("openid", OpenId(messageXml)),
                ("encrypt_type", "aes"),
                ("msg_signature", WeChatSignature.Message(token, timestamp, nonce, encrypt))),
            body);
    }

    private WeChatCrypto Crypto() => new(encodingAesKey ?? throw new InvalidOperationException("Encrypted pushes need the EncodingAESKey."), appId);

    private (string Timestamp, string Nonce) Stamp() =>
        (Now().ToString(CultureInfo.InvariantCulture), Random.Shared.Next(100_000_000, int.MaxValue).ToString(CultureInfo.InvariantCulture));

    private long Now() => Timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static string OpenId(string messageXml) => WeChatXml.Parse(messageXml).FromUserName ?? string.Empty;

    private static string Query(params (string Name, string Value)[] parameters) =>
        "?" + string.Join('&', parameters.Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value)));
}
