using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace HotlineBot.WeChat.Protocol;

/// <summary>
/// Reads pushed message XML and writes passive replies. Reading is locked down (no DTD, no resolver, a size
/// limit) because the body comes from the internet before any signature can vouch for its content; writing puts
/// strings in CDATA (a literal <c>]]&gt;</c> split across sections) and numbers bare, as WeChat expects.
/// </summary>
public static class WeChatXml
{
    /// <summary>The largest body accepted, in characters; a compatible-mode push is about three times its message.</summary>
    public const int MaxBodyCharacters = 256 * 1024;

    /// <summary>The answer that tells WeChat "received, nothing to show": no retry, nothing shown to the user.</summary>
    public const string Success = "success";

    private static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MaxBodyCharacters,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    /// <summary>Parses a pushed body (root <c>&lt;xml&gt;</c>); throws <see cref="FormatException"/> for anything else, including a DOCTYPE.</summary>
    public static WeChatInbound Parse(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Length > MaxBodyCharacters)
        {
            throw new FormatException($"The WeChat body is longer than {MaxBodyCharacters} characters.");
        }

        XElement root;
        try
        {
            using var reader = XmlReader.Create(new StringReader(body), ReaderSettings);
            root = XElement.Load(reader);
        }
        catch (XmlException e)
        {
            throw new FormatException("The WeChat body is not acceptable XML: " + e.Message, e);
        }

        if (root.Name.LocalName != "xml")
        {
            throw new FormatException($"The WeChat body's root is <{root.Name.LocalName}>, not <xml>.");
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var element in root.Elements())
        {
            fields.TryAdd(element.Name.LocalName, element.Value);
        }

        string? Text(string name) => fields.GetValueOrDefault(name);

        return new WeChatInbound
        {
            ToUserName = Text("ToUserName"),
            FromUserName = Text("FromUserName"),
            CreateTime = long.TryParse(Text("CreateTime"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var created) ? UnixSeconds(created) : 0,
            MsgType = Text("MsgType"),
            Content = Text("Content"),
            MsgId = long.TryParse(Text("MsgId"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : null,
            MediaId = Text("MediaId"),
            PicUrl = Text("PicUrl"),
            Format = Text("Format"),
            Recognition = Text("Recognition"),
            LocationX = double.TryParse(Text("Location_X"), NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x : null,
            LocationY = double.TryParse(Text("Location_Y"), NumberStyles.Float, CultureInfo.InvariantCulture, out var y) ? y : null,
            Scale = int.TryParse(Text("Scale"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var scale) ? scale : null,
            Label = Text("Label"),
            Event = Text("Event"),
            EventKey = Text("EventKey"),
            Encrypt = Text("Encrypt"),
            Fields = fields,
        };
    }

    /// <summary>Unix seconds from what a push says: a 13-digit value is milliseconds (a common slip); anything out of range is 0 (unknown).</summary>
    private static long UnixSeconds(long value)
    {
        const long LastSecond = 253_402_300_799;
        var seconds = value > 100_000_000_000 ? value / 1000 : value;
        return seconds is > 0 and <= LastSecond ? seconds : 0;
    }

    /// <summary>
    /// A passive text reply to <paramref name="request"/> (its From and To swapped), to send as the HTTP response
    /// within 5 s; <paramref name="createTime"/> in Unix seconds.
    /// </summary>
    public static string TextReply(WeChatInbound request, string content, long createTime)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(content);
        var xml = new StringBuilder("<xml>");
        AppendCData(xml, "ToUserName", request.FromUserName ?? string.Empty);
        AppendCData(xml, "FromUserName", request.ToUserName ?? string.Empty);
        AppendNumber(xml, "CreateTime", createTime);
        AppendCData(xml, "MsgType", "text");
        AppendCData(xml, "Content", content);
        return xml.Append("</xml>").ToString();
    }

    /// <summary>The safe-mode reply envelope; <see cref="WeChatCrypto.EncryptReply"/> builds the whole thing.</summary>
    public static string EncryptedReply(string encrypt, string msgSignature, long timeStamp, string nonce)
    {
        var xml = new StringBuilder("<xml>");
        AppendCData(xml, "Encrypt", encrypt);
        AppendCData(xml, "MsgSignature", msgSignature);
        AppendNumber(xml, "TimeStamp", timeStamp);
        AppendCData(xml, "Nonce", nonce);
        return xml.Append("</xml>").ToString();
    }

    private static void AppendNumber(StringBuilder xml, string name, long value) =>
        xml.Append('<').Append(name).Append('>').Append(value.ToString(CultureInfo.InvariantCulture)).Append("</").Append(name).Append('>');

    private static void AppendCData(StringBuilder xml, string name, string value)
    {
        // Characters XML 1.0 forbids (control characters) would make the whole reply unreadable: drop them.
        var kept = value.Any(c => !XmlConvert.IsXmlChar(c) && !char.IsSurrogate(c))
            ? string.Concat(value.Where(c => XmlConvert.IsXmlChar(c) || char.IsSurrogate(c)))
            : value;

        // "]]>" cannot appear inside CDATA: end the section after "]]" and start a new one before ">".
        xml.Append('<').Append(name).Append("><![CDATA[")
            .Append(kept.Replace("]]>", "]]]]><![CDATA[>", StringComparison.Ordinal))
            .Append("]]></").Append(name).Append('>');
    }
}
