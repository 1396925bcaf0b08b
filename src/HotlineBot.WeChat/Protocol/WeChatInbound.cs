namespace HotlineBot.WeChat.Protocol;

/// <summary>
/// One pushed message or event, as WeChat's XML carries it (fields absent from a type are null). In safe mode the
/// outer body has only <see cref="ToUserName"/> and <see cref="Encrypt"/>: decrypt that and parse the result again.
/// </summary>
public sealed record WeChatInbound
{
    /// <summary>The account's original id (gh_…); the reply's FromUserName.</summary>
    public string? ToUserName { get; init; }

    /// <summary>The sender's OpenID; the reply's ToUserName and the user to answer later.</summary>
    public string? FromUserName { get; init; }

    /// <summary>Unix SECONDS.</summary>
    public long CreateTime { get; init; }

    /// <summary>text, image, voice, video, shortvideo, location, link or event.</summary>
    public string? MsgType { get; init; }

    public string? Content { get; init; }

    /// <summary>64-bit message id; events have none (TEMPLATESENDJOBFINISH spells it MsgID: see <see cref="Fields"/>).</summary>
    public long? MsgId { get; init; }

    public string? MediaId { get; init; }

    public string? PicUrl { get; init; }

    /// <summary>Voice format: amr or speex.</summary>
    public string? Format { get; init; }

    /// <summary>Voice speech recognition text, when the account has it turned on.</summary>
    public string? Recognition { get; init; }

    /// <summary>Location_X: latitude.</summary>
    public double? LocationX { get; init; }

    /// <summary>Location_Y: longitude.</summary>
    public double? LocationY { get; init; }

    public int? Scale { get; init; }

    public string? Label { get; init; }

    /// <summary>For MsgType event: subscribe, unsubscribe, SCAN, LOCATION, CLICK, VIEW, TEMPLATESENDJOBFINISH…</summary>
    public string? Event { get; init; }

    /// <summary>CLICK: the menu key; VIEW: the URL; subscribe from a QR code: qrscene_&lt;scene&gt;; SCAN: the scene.</summary>
    public string? EventKey { get; init; }

    /// <summary>The encrypted message (safe and compatible modes).</summary>
    public string? Encrypt { get; init; }

    /// <summary>Every top-level element's text by name, for fields not lifted above (Ticket, Status, MsgID, Latitude…).</summary>
    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();

    /// <summary>True for MsgType event.</summary>
    public bool IsEvent => string.Equals(MsgType, "event", StringComparison.Ordinal);

    /// <summary>
    /// The key under which WeChat's retries (three deliveries when no answer comes within 5 s) are the same push:
    /// <c>msg:&lt;MsgId&gt;</c> for messages, <c>event:&lt;FromUserName&gt;:&lt;CreateTime&gt;:&lt;Event&gt;:&lt;EventKey&gt;</c> for events (a retry is the same push byte for byte, so two different taps in one second stay apart).
    /// </summary>
    public string DedupKey => MsgId is { } id && !IsEvent
        ? "msg:" + id.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : "event:" + FromUserName + ":" + CreateTime.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + Event + ":" + EventKey;
}
