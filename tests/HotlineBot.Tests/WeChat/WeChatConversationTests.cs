using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Schema;
using HotlineBot.BotFramework.State;
using HotlineBot.Dialogs.Conversation;
using HotlineBot.Dialogs.Replies;
using HotlineBot.Tests.Integration;
using HotlineBot.WeChat.Channel;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.WeChat;

/// <summary>One <see cref="WeChatHost"/> for a whole test class: each start takes seconds, and followers with distinct openids do not meet.</summary>
public sealed class WeChatHostFixture : IAsyncLifetime
{
    private readonly string _dataDirectory = TempDataDirectory.Create();
    private WeChatHost? _host;

    public WeChatHost Host => _host ?? throw new InvalidOperationException("The host has not been started.");

    public async ValueTask InitializeAsync() => _host = await WeChatHost.StartAsync(_dataDirectory, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        TempDataDirectory.Delete(_dataDirectory);
    }
}

/// <summary>
/// Whole conversations through /api/wechat on real Kestrel, as a follower has them: the welcome, the menu's clicks,
/// numbered choices, voice, location and pictures, and WeChat's retries of one push running one turn.
/// </summary>
public sealed partial class WeChatConversationTests(WeChatHostFixture fixture) : IClassFixture<WeChatHostFixture>
{
    private const string PicUrl = "http://mmbiz.qpic.cn/mmbiz_jpg/hotline12351/0";

    // Above the builder's own ids (24…), so the messages built here never share a MsgId with its text messages.
    private static long _nextMsgId = 25_000_000_000_000_000;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private WeChatHost Host => fixture.Host;

    [GeneratedRegex(@"^(?<number>[0-9]+) (?<label>.+)$")]
    private static partial Regex ChoiceLine();

    [GeneratedRegex(@"编号 (?<id>[A-Za-z0-9-]+)")]
    private static partial Regex CaseNumber();

    [Fact]
    public async Task Subscribe_AnswersWithTheWelcome_InThePassiveReplyAlone()
    {
        var reply = await EventAsync("o_conv_subscriber", "subscribe");

        Assert.NotNull(reply);
        Assert.True(reply.Contains("欠薪", StringComparison.Ordinal) || reply.Contains("12351", StringComparison.Ordinal), reply);
        // The whole welcome, its example questions included, fits the passive reply: nothing is left to follow.
        Assert.Equal(HotlineReplies.ExampleQuestions.Count, Choices(reply).Count);
        Assert.Empty(Host.CustomTexts("o_conv_subscriber"));
    }

    [Fact]
    public async Task ClickAsk_InvitesTheWorkerToTypeTheQuestion()
    {
        var reply = await EventAsync("o_conv_click_ask", "CLICK", "ASK");

        Assert.NotNull(reply);
        Assert.Contains("比如", reply, StringComparison.Ordinal);
        Assert.Contains("打字", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClickHandoff_StartsTheHandoff_AskingWhatHappened()
    {
        var reply = await EventAsync("o_conv_click_handoff", "CLICK", "HANDOFF");

        Assert.NotNull(reply);
        Assert.Contains("转给工作人员", reply, StringComparison.Ordinal);
        Assert.Contains("发生了什么", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClickMyCases_WithoutCases_SaysThereAreNoneYet()
    {
        var reply = await EventAsync("o_conv_click_cases", "CLICK", "MY_CASES");

        Assert.NotNull(reply);
        Assert.Contains("还没有工单", reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("o_conv_click_unknown", "CLICK", "NOT_A_MENU_KEY")]
    [InlineData("o_conv_view", "VIEW", "https://www.acftu.org/")]
    public async Task UnknownClickOrView_IsAnsweredExactlySuccess(string openId, string eventName, string eventKey)
    {
        var (status, body) = await Host.SendAsync(Host.Pushes.Plaintext(Host.Pushes.Event(openId, eventName, eventKey)), Cancellation);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("success", body);
    }

    [Fact]
    public async Task TypedNumber_PicksTheAnswersNotSolvedChoice_AndStartsTheHandoff()
    {
        const string OpenId = "o_conv_choice";
        var answer = await Host.SayAsync(OpenId, "加班费怎么算", Cancellation);

        Assert.NotNull(answer);
        var lines = answer.Split('\n');
        var header = Array.LastIndexOf(lines, WeChatText.ChoicesHeader);
        Assert.True(header >= 0, "the answer lists its buttons as numbered choices: " + answer);
        Assert.All(lines[(header + 1)..], l => Assert.Matches(ChoiceLine(), l));
        var choices = Choices(answer);
        Assert.Contains(Feedback.HelpfulText, choices.Values);
        var notSolved = Assert.Single(choices, c => c.Value == Feedback.NotSolvedText).Key;

        var reply = await Host.SayAsync(OpenId, notSolved.ToString(CultureInfo.InvariantCulture), Cancellation);

        // 没解决 on an answer hands over with the question as what happened: the handoff goes straight to the number.
        Assert.NotNull(reply);
        Assert.Contains("回电号码", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TypedNumber_AfterAReplyWithoutChoices_IsHandledAsText()
    {
        const string OpenId = "o_conv_stale_number";
        var answer = await Host.SayAsync(OpenId, "加班费怎么算", Cancellation);
        var helpful = Assert.Single(Choices(answer!), c => c.Value == Feedback.HelpfulText).Key;
        var invitation = await Host.SayAsync(OpenId, "问政策", Cancellation);
        Assert.Empty(Choices(invitation!));
        Assert.Empty(await Storage().ReadAsync([WeChatChannel.ChoicesKey(OpenId)], Cancellation));

        var number = helpful.ToString(CultureInfo.InvariantCulture);
        var reply = await Host.SayAsync(OpenId, number, Cancellation);

        // The number no longer means 有帮助: the bot reads it as typed, as from a follower who never had choices.
        Assert.NotNull(reply);
        Assert.Equal(await Host.SayAsync("o_conv_number_first", number, Cancellation), reply);
        Assert.DoesNotContain("不客气", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("回电号码", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VoiceWithRecognition_IsAnsweredAsTheRecognizedQuestion()
    {
        var reply = await MessageAsync("o_conv_voice", "voice", "<MediaId><![CDATA[voice_media_1]]></MediaId><Format><![CDATA[amr]]></Format><Recognition><![CDATA[加班费怎么算]]></Recognition>");

        Assert.NotNull(reply);
        Assert.Contains("150%", reply, StringComparison.Ordinal);
        Assert.Contains(Feedback.NotSolvedText, Choices(reply).Values);
    }

    [Fact]
    public async Task VoiceWithoutRecognition_AsksTheWorkerToType()
    {
        var reply = await MessageAsync("o_conv_voice_raw", "voice", "<MediaId><![CDATA[voice_media_2]]></MediaId><Format><![CDATA[amr]]></Format>");

        Assert.NotNull(reply);
        Assert.Contains("语音", reply, StringComparison.Ordinal);
        Assert.Contains("打字", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Location_IsAcknowledgedWithItsLabel_AndKept()
    {
        const string OpenId = "o_conv_location";
        const string Label = "广州市天河区体育西路191号";

        var reply = await MessageAsync(OpenId, "location", $"<Location_X>23.134521</Location_X><Location_Y>113.358803</Location_Y><Scale>20</Scale><Label><![CDATA[{Label}]]></Label>");

        Assert.NotNull(reply);
        Assert.Contains(Label, reply, StringComparison.Ordinal);
        var key = WeChatChannel.LocationKey(OpenId);
        var items = await Storage().ReadAsync([key], Cancellation);
        var kept = items[key].Value.Deserialize<WeChatLocation>(ProtocolJson.Options);
        Assert.NotNull(kept);
        Assert.Equal(23.134521, kept.Latitude, 6);
        Assert.Equal(113.358803, kept.Longitude, 6);
        Assert.Equal(Label, kept.Label);
    }

    [Fact]
    public async Task Image_WithoutAnOpenCase_AsksForWords()
    {
        var reply = await ImageAsync("o_conv_image_nocase", "image_media_1");

        Assert.NotNull(reply);
        Assert.Contains("暂时看不了", reply, StringComparison.Ordinal);
        Assert.Contains("用文字", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Image_AfterTheWorkerOpenedACase_IsAttachedToIt()
    {
        const string OpenId = "o_conv_image_case";
        var caseId = await OpenCaseAsync(OpenId);

        var reply = await ImageAsync(OpenId, "image_media_2");

        Assert.NotNull(reply);
        Assert.Contains(caseId, reply, StringComparison.Ordinal);
        Assert.Contains("图片", reply, StringComparison.Ordinal);
        var detail = await CaseAsync(caseId);
        var attachment = Assert.Single(detail["attachments"]!.AsArray());
        Assert.Equal(PicUrl, (string?)attachment!["url"]);
        Assert.True((bool)attachment["isImage"]!);
    }

    [Fact]
    public async Task RetriedText_GetsTheFirstReply_AndRunsOneTurn()
    {
        const string OpenId = "o_conv_retry";
        var msgId = NextMsgId();
        var first = await SayOnceAsync(OpenId, "转人工", msgId);
        var second = await SayOnceAsync(OpenId, "转人工", msgId);
        var third = await SayOnceAsync(OpenId, "转人工", msgId);

        Assert.NotNull(first);
        Assert.Contains("发生了什么", first, StringComparison.Ordinal);
        Assert.Equal(first, second);
        Assert.Equal(first, third);

        // The next message answers the handoff's first question: it was asked once, and is not asked again.
        var caseId = await FinishHandoffAsync(OpenId);
        var transcript = (await CaseAsync(caseId))["transcript"]!.AsArray();
        Assert.Single(transcript, l => (string?)l!["role"] == "worker" && (string?)l["text"] == "转人工");
        Assert.Single(transcript, l => (string?)l!["role"] == "bot" && ((string?)l["text"])!.Contains("发生了什么", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ThreeConcurrentDeliveriesOfOnePush_RunOneTurn_AndGetOneReply()
    {
        const string OpenId = "o_conv_retry_concurrent";
        var xml = Host.Pushes.Text(OpenId, "转人工", NextMsgId());

        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Host.SendAsync(Host.Pushes.Plaintext(xml), Cancellation)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        var replies = answers.Select(a => Host.ReplyContent(a.Body, OpenId)).ToArray();
        Assert.Contains("发生了什么", replies[0], StringComparison.Ordinal);
        Assert.All(replies, r => Assert.Equal(replies[0], r));
        var transcript = await Host.Casework.Host.Services.GetRequiredService<ITranscriptStore>()
            .GetTranscriptActivitiesAsync(WeChatActivities.ChannelId, WeChatActivities.ConversationId(OpenId), 100, Cancellation);
        Assert.Single(transcript, a => a.From?.Role == RoleTypes.User && a.Text == "转人工");
        Assert.Single(transcript, a => a.From?.Role == RoleTypes.Bot && a.Text?.Contains("发生了什么", StringComparison.Ordinal) == true);
    }

    /// <summary>The numbered choices a reply ends with (number → label); empty when it offers none.</summary>
    private static Dictionary<int, string> Choices(string reply)
    {
        var lines = reply.Split('\n');
        var header = Array.LastIndexOf(lines, WeChatText.ChoicesHeader);
        return header < 0
            ? []
            : lines[(header + 1)..]
                .Select(l => ChoiceLine().Match(l))
                .Where(m => m.Success)
                .ToDictionary(m => int.Parse(m.Groups["number"].Value, CultureInfo.InvariantCulture), m => m.Groups["label"].Value);
    }

    private static long NextMsgId() => Interlocked.Increment(ref _nextMsgId);

    private IStorage Storage() => Host.Casework.Host.Services.GetRequiredService<IStorage>();

    private async Task<JsonNode> CaseAsync(string caseId)
    {
        var (status, body) = await Host.Casework.ApiAsync(HttpMethod.Get, $"/api/cases/{caseId}", Host.Casework.AdminToken, null, Cancellation);
        Assert.Equal(HttpStatusCode.OK, status);
        return body!;
    }

    /// <summary>The worker asks for a person through WeChat and goes through the handoff; the case id the confirmation names.</summary>
    private async Task<string> OpenCaseAsync(string openId)
    {
        Assert.Contains("发生了什么", await Host.SayAsync(openId, "转人工", Cancellation), StringComparison.Ordinal);
        return await FinishHandoffAsync(openId);
    }

    /// <summary>Answers the handoff's questions from what happened on, reading each reply; the case id.</summary>
    private async Task<string> FinishHandoffAsync(string openId)
    {
        Assert.Contains("回电号码", await Host.SayAsync(openId, "公司拖欠三个月工资不发", Cancellation), StringComparison.Ordinal);
        var window = await Host.SayAsync(openId, "13812348000", Cancellation);
        Assert.Contains("什么时间", window, StringComparison.Ordinal);
        Assert.Contains("工作日下午", Choices(window!).Values);
        var summary = await Host.SayAsync(openId, "工作日下午", Cancellation);
        Assert.Contains("确认", summary, StringComparison.Ordinal);
        Assert.Contains("138****8000", summary, StringComparison.Ordinal);
        var done = await Host.SayAsync(openId, "是", Cancellation);
        Assert.NotNull(done);
        var number = CaseNumber().Match(done);
        Assert.True(number.Success, "the confirmation names the case: " + done);
        return number.Groups["id"].Value;
    }

    private async Task<string?> EventAsync(string openId, string eventName, string? eventKey = null) =>
        await SendXmlAsync(openId, Host.Pushes.Event(openId, eventName, eventKey));

    private Task<string?> SayOnceAsync(string openId, string text, long msgId) => SendXmlAsync(openId, Host.Pushes.Text(openId, text, msgId));

    private Task<string?> ImageAsync(string openId, string mediaId) =>
        MessageAsync(openId, "image", $"<PicUrl><![CDATA[{PicUrl}]]></PicUrl><MediaId><![CDATA[{mediaId}]]></MediaId>");

    /// <summary>A user message of <paramref name="type"/> shaped as WeChat sends it (and as the builder's text), with a new MsgId.</summary>
    private Task<string?> MessageAsync(string openId, string type, string fields)
    {
        var xml = string.Create(
            CultureInfo.InvariantCulture,
            $"<xml><ToUserName><![CDATA[{WeChatPushBuilder.AccountId}]]></ToUserName><FromUserName><![CDATA[{openId}]]></FromUserName><CreateTime>{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}</CreateTime><MsgType><![CDATA[{type}]]></MsgType>{fields}<MsgId>{NextMsgId()}</MsgId></xml>");
        return SendXmlAsync(openId, xml);
    }

    private async Task<string?> SendXmlAsync(string openId, string xml)
    {
        var (status, body) = await Host.SendAsync(Host.Pushes.Plaintext(xml), Cancellation);
        Assert.Equal(HttpStatusCode.OK, status);
        return Host.ReplyContent(body, openId);
    }
}
