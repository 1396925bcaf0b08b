using HotlineBot.WeChat.Protocol;

namespace HotlineBot.WeChat.Tests.Protocol;

public sealed class WeChatXmlTests
{
    private const string Head = "<xml><ToUserName><![CDATA[gh_1234567890ab]]></ToUserName><FromUserName><![CDATA[oUser123]]></FromUserName><CreateTime>1348831860</CreateTime>";

    [Fact]
    public void Parses_a_text_message()
    {
        var message = WeChatXml.Parse(Head + "<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[工资被拖欠了怎么办？]]></Content><MsgId>1234567890123456789</MsgId></xml>");

        Assert.Equal("gh_1234567890ab", message.ToUserName);
        Assert.Equal("oUser123", message.FromUserName);
        Assert.Equal(1348831860, message.CreateTime);
        Assert.Equal("text", message.MsgType);
        Assert.Equal("工资被拖欠了怎么办？", message.Content);
        Assert.Equal(1234567890123456789, message.MsgId);
        Assert.False(message.IsEvent);
        Assert.Equal("msg:1234567890123456789", message.DedupKey);
    }

    [Fact]
    public void Parses_an_image_message()
    {
        var message = WeChatXml.Parse(Head + "<MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://mmbiz.qpic.cn/x.jpg]]></PicUrl><MediaId><![CDATA[media_id_1]]></MediaId><MsgId>1234567890123456790</MsgId></xml>");

        Assert.Equal("image", message.MsgType);
        Assert.Equal("http://mmbiz.qpic.cn/x.jpg", message.PicUrl);
        Assert.Equal("media_id_1", message.MediaId);
        Assert.Equal(1234567890123456790, message.MsgId);
    }

    [Fact]
    public void Parses_a_voice_message_without_recognition()
    {
        var message = WeChatXml.Parse(Head + "<MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[media_id_2]]></MediaId><Format><![CDATA[amr]]></Format><MsgId>1234567890123456791</MsgId></xml>");

        Assert.Equal("voice", message.MsgType);
        Assert.Equal("media_id_2", message.MediaId);
        Assert.Equal("amr", message.Format);
        Assert.Null(message.Recognition);
    }

    [Fact]
    public void Parses_a_voice_message_with_recognition()
    {
        var message = WeChatXml.Parse(Head + "<MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[media_id_3]]></MediaId><Format><![CDATA[speex]]></Format><Recognition><![CDATA[我要投诉]]></Recognition><MsgId>1234567890123456792</MsgId></xml>");

        Assert.Equal("speex", message.Format);
        Assert.Equal("我要投诉", message.Recognition);
    }

    [Fact]
    public void Parses_a_location_message()
    {
        var message = WeChatXml.Parse(Head + "<MsgType><![CDATA[location]]></MsgType><Location_X>23.134521</Location_X><Location_Y>113.358803</Location_Y><Scale>20</Scale><Label><![CDATA[位置信息]]></Label><MsgId>1234567890123456793</MsgId></xml>");

        Assert.Equal(23.134521, message.LocationX);
        Assert.Equal(113.358803, message.LocationY);
        Assert.Equal(20, message.Scale);
        Assert.Equal("位置信息", message.Label);
    }

    [Theory]
    [InlineData("1348831860", 1348831860)]
    [InlineData("1348831860123", 1348831860)]
    [InlineData("99999999999999999", 0)]
    [InlineData("-5", 0)]
    [InlineData("soon", 0)]
    public void CreateTime_is_read_as_seconds_and_nonsense_as_unknown(string createTime, long expected)
    {
        var message = WeChatXml.Parse($"<xml><FromUserName>o1</FromUserName><CreateTime>{createTime}</CreateTime><MsgType>text</MsgType></xml>");

        Assert.Equal(expected, message.CreateTime);
    }

    [Theory]
    [InlineData("subscribe", null)]
    [InlineData("subscribe", "qrscene_123123")]
    [InlineData("unsubscribe", null)]
    [InlineData("CLICK", "HELP")]
    public void Parses_events_and_keys_them_by_sender_time_and_event(string eventName, string? eventKey)
    {
        var key = eventKey is null ? string.Empty : $"<EventKey><![CDATA[{eventKey}]]></EventKey><Ticket><![CDATA[TICKET]]></Ticket>";
        var message = WeChatXml.Parse(Head + $"<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[{eventName}]]></Event>{key}</xml>");

        Assert.True(message.IsEvent);
        Assert.Equal(eventName, message.Event);
        Assert.Equal(eventKey, message.EventKey);
        Assert.Null(message.MsgId);
        Assert.Equal($"event:oUser123:1348831860:{eventName}:{eventKey}", message.DedupKey);
        if (eventKey is not null)
        {
            Assert.Equal("TICKET", message.Fields["Ticket"]);
        }
    }

    [Fact]
    public void Parses_a_safe_mode_body()
    {
        var message = WeChatXml.Parse("<xml><ToUserName><![CDATA[gh_1234567890ab]]></ToUserName><Encrypt><![CDATA[abc+/=]]></Encrypt></xml>");

        Assert.Equal("abc+/=", message.Encrypt);
        Assert.Null(message.MsgType);
    }

    [Fact]
    public void Refuses_an_XXE_payload()
    {
        const string xxe = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
            + "<xml><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>&xxe;</Content><MsgId>1</MsgId></xml>";

        Assert.Throws<FormatException>(() => WeChatXml.Parse(xxe));
    }

    [Fact]
    public void Refuses_an_entity_expansion_bomb()
    {
        const string bomb = "<!DOCTYPE xml [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><xml><Content>&b;</Content></xml>";

        Assert.Throws<FormatException>(() => WeChatXml.Parse(bomb));
    }

    [Theory]
    [InlineData("not xml")]
    [InlineData("<root><Content>x</Content></root>")]
    [InlineData("{\"ToUserName\":\"gh_1\"}")]
    public void Refuses_bodies_that_are_not_WeChat_xml(string body)
    {
        Assert.Throws<FormatException>(() => WeChatXml.Parse(body));
    }

    [Fact]
    public void Refuses_a_body_over_the_character_limit()
    {
        var body = "<xml><Content>" + new string('x', WeChatXml.MaxBodyCharacters) + "</Content></xml>";

        Assert.Throws<FormatException>(() => WeChatXml.Parse(body));
    }

    [Fact]
    public void A_text_reply_swaps_the_users_and_round_trips()
    {
        var request = WeChatXml.Parse(Head + "<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content><MsgId>1</MsgId></xml>");

        var reply = WeChatXml.TextReply(request, "您好，请问有什么可以帮您？", 1348831861);

        Assert.Equal(
            "<xml><ToUserName><![CDATA[oUser123]]></ToUserName><FromUserName><![CDATA[gh_1234567890ab]]></FromUserName><CreateTime>1348831861</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[您好，请问有什么可以帮您？]]></Content></xml>",
            reply);
    }

    [Theory]
    [InlineData("a]]>b")]
    [InlineData("]]>]]>")]
    [InlineData("<b>&amp;</b> ]] > ]]")]
    public void A_reply_splits_the_CDATA_terminator_and_keeps_the_text(string content)
    {
        var request = new WeChatInbound { ToUserName = "gh_1", FromUserName = "o1" };

        var reply = WeChatXml.Parse(WeChatXml.TextReply(request, content, 1));

        Assert.Equal(content, reply.Content);
    }

    [Fact]
    public void A_reply_drops_characters_XML_cannot_carry()
    {
        var request = new WeChatInbound { ToUserName = "gh_1", FromUserName = "o1" };

        Assert.Equal("ab😀", WeChatXml.Parse(WeChatXml.TextReply(request, "a\u0001b\u0000😀", 1)).Content);
    }

    [Fact]
    public void The_encrypted_envelope_has_the_four_fields()
    {
        var envelope = WeChatXml.EncryptedReply("ENC", "SIG", 1713424427, "415670741");

        Assert.Equal("<xml><Encrypt><![CDATA[ENC]]></Encrypt><MsgSignature><![CDATA[SIG]]></MsgSignature><TimeStamp>1713424427</TimeStamp><Nonce><![CDATA[415670741]]></Nonce></xml>", envelope);
    }
}
