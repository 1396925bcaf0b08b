using System.Net;
using HotlineBot.Tests.Integration;
using HotlineBot.Tests.WeChat;
using HotlineBot.WeChat.Protocol;

namespace HotlineBot.Tests.ScaleOut;

/// <summary>
/// The WeChat channel on two instances sharing one Redis: WeChat's retries of a push may reach either instance and
/// still run one turn, and the access token is fetched once for both.
/// </summary>
public sealed class SharedWeChatTests(RedisServer redis)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OnePushDeliveredToBothInstances_RunsOneTurn_AndBothAnswerTheSame()
    {
        await using var weChat = await FakeWeChatServer.StartAsync();
        await using var hotline = await TwoInstances.StartAsync(redis, Settings(weChat));
        var pushes = new WeChatPushBuilder(WeChatHost.Token, weChat.AppId);
        const string OpenId = "o_shared_retry";
        var push = pushes.Plaintext(pushes.Text(OpenId, "转人工"));

        // WeChat's first delivery and its retries, spread over both instances and partly at the same time.
        var answers = await Task.WhenAll(PostAsync(hotline.A, push), PostAsync(hotline.B, push));
        var third = await PostAsync(hotline.B, push);

        Assert.All([.. answers, third], a => Assert.Equal(HttpStatusCode.OK, a.Status));
        var first = Content(answers[0].Body);
        Assert.Contains("发生了什么", first, StringComparison.Ordinal);
        Assert.Equal(first, Content(answers[1].Body));
        Assert.Equal(first, Content(third.Body));

        // Begun once: the next message answers the handoff's first question, and the phone number is asked next.
        var next = await PostAsync(hotline.A, pushes.Plaintext(pushes.Text(OpenId, "公司拖欠三个月工资不发")));
        Assert.Contains("电话", Content(next.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlowReplies_FromBothInstances_UseOneAccessToken()
    {
        await using var weChat = await FakeWeChatServer.StartAsync();
        await using var hotline = await TwoInstances.StartAsync(redis, Settings(weChat, new Dictionary<string, string?> { ["Hotline:WeChat:ReplyBudget"] = "00:00:00" }));
        var pushes = new WeChatPushBuilder(WeChatHost.Token, weChat.AppId);

        await Task.WhenAll(
            PostAsync(hotline.A, pushes.Plaintext(pushes.Text("o_shared_a", "周末加班工资怎么算"))),
            PostAsync(hotline.B, pushes.Plaintext(pushes.Text("o_shared_b", "公司拖欠工资怎么办"))));

        var deadline = DateTime.UtcNow + TwoInstances.Patience;
        while (weChat.CallsTo("/cgi-bin/message/custom/send").Count(c => c.ErrorCode == 0) < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, Cancellation);
        }

        var sent = weChat.CallsTo("/cgi-bin/message/custom/send");
        Assert.Equal(["o_shared_a", "o_shared_b"], sent.Select(c => (string)c.Body!["touser"]!).Order());
        Assert.Single(sent.Select(c => c.AccessToken).Distinct());
        Assert.Equal(1, weChat.TokenFetches);
    }

    private static Dictionary<string, string?> Settings(FakeWeChatServer weChat, IReadOnlyDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Hotline:WeChat:Token"] = WeChatHost.Token,
            ["Hotline:WeChat:AppId"] = weChat.AppId,
            ["Hotline:WeChat:AppSecret"] = weChat.AppSecret,
            ["Hotline:WeChat:ApiBaseUrl"] = weChat.BaseAddress.ToString(),
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(HotlineHost host, WeChatPush push)
    {
        using var content = new StringContent(push.Body, System.Text.Encoding.UTF8, "text/xml");
        using var response = await host.Client.PostAsync(new Uri(push.Url(WeChatHost.Path), UriKind.Relative), content, Cancellation);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Cancellation));
    }

    private static string Content(string body) => WeChatXml.Parse(body).Content ?? string.Empty;
}
