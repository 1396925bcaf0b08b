using HotlineBot.WeChat.Api;

namespace HotlineBot.WeChat.Tests.Api;

public sealed class WeChatApiClientTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string CustomSend = "/cgi-bin/message/custom/send";

    private readonly List<HttpClient> _http = [];
    private FakeWeChatServer _fake = null!;

    public async ValueTask InitializeAsync() => _fake = await FakeWeChatServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        _http.ForEach(http => http.Dispose());
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task The_token_is_fetched_with_stable_token_and_cached_across_calls()
    {
        var client = Client();

        await client.SendCustomTextAsync("oUser1", "一", Ct);
        await client.SendCustomTextAsync("oUser1", "二", Ct);

        Assert.Equal(1, _fake.TokenFetches);
        var fetch = Assert.Single(_fake.CallsTo("/cgi-bin/stable_token"));
        Assert.Equal("client_credential", fetch.Body!["grant_type"]!.GetValue<string>());
        Assert.Equal(_fake.AppId, fetch.Body["appid"]!.GetValue<string>());
        Assert.Equal(_fake.AppSecret, fetch.Body["secret"]!.GetValue<string>());
        Assert.False(fetch.Body["force_refresh"]!.GetValue<bool>());
        Assert.All(_fake.CallsTo(CustomSend), call => Assert.Equal(_fake.CurrentToken, call.AccessToken));
    }

    [Fact]
    public async Task The_token_is_refreshed_about_five_minutes_before_it_expires()
    {
        var clock = new TestClock();
        var client = Client(time: clock);
        await client.SendCustomTextAsync("oUser1", "一", Ct);

        clock.Advance(TimeSpan.FromSeconds(7200 - 301));
        await client.SendCustomTextAsync("oUser1", "二", Ct);
        Assert.Equal(1, _fake.TokenFetches);

        clock.Advance(TimeSpan.FromSeconds(2));
        await client.SendCustomTextAsync("oUser1", "三", Ct);
        Assert.Equal(2, _fake.TokenFetches);
    }

    [Fact]
    public async Task An_expired_token_is_replaced_and_the_call_retried_once()
    {
        var client = Client();
        await client.SendCustomTextAsync("oUser1", "一", Ct);
        var old = _fake.CurrentToken;
        _fake.ExpireCurrentToken();

        await client.SendCustomTextAsync("oUser1", "二", Ct);

        Assert.Equal(2, _fake.TokenFetches);
        var sends = _fake.CallsTo(CustomSend);
        Assert.Equal([0, 42001, 0], sends.Select(call => call.ErrorCode));
        Assert.Equal(old, sends[1].AccessToken);
        Assert.NotEqual(old, sends[2].AccessToken);
    }

    [Theory]
    [InlineData(40001)]
    [InlineData(40014)]
    [InlineData(42001)]
    public async Task A_rejected_token_causes_one_refresh_and_one_retry(int errorCode)
    {
        var client = Client();
        _fake.FailNext(1, errorCode);

        await client.SendCustomTextAsync("oUser1", "您好", Ct);

        Assert.Equal(2, _fake.TokenFetches);
        Assert.Equal([errorCode, 0], _fake.CallsTo(CustomSend).Select(call => call.ErrorCode));
    }

    [Fact]
    public async Task A_second_rejection_is_thrown_not_looped()
    {
        var client = Client();
        _fake.FailNext(5, WeChatApiException.InvalidCredential);

        var error = await Assert.ThrowsAsync<WeChatApiException>(() => client.SendCustomTextAsync("oUser1", "您好", Ct));

        Assert.Equal(WeChatApiException.InvalidCredential, error.ErrorCode);
        Assert.Equal(2, _fake.CallsTo(CustomSend).Count);
        Assert.Equal(2, _fake.TokenFetches);
    }

    [Fact]
    public async Task Concurrent_callers_share_one_token_fetch()
    {
        var client = Client();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => client.SendCustomTextAsync("oUser" + i, "您好", Ct)));

        Assert.Equal(1, _fake.TokenFetches);
        Assert.Equal(20, _fake.CallsTo(CustomSend).Count);
    }

    [Fact]
    public async Task Outside_the_48_hour_window_surfaces_as_45015_without_a_retry()
    {
        var client = Client();
        _fake.PutOutsideWindow("oLate");

        var error = await Assert.ThrowsAsync<WeChatApiException>(() => client.SendCustomTextAsync("oLate", "您好", Ct));

        Assert.Equal(WeChatApiException.OutOfResponseWindow, error.ErrorCode);
        Assert.Single(_fake.CallsTo(CustomSend));
    }

    [Fact]
    public async Task A_timed_out_send_is_not_retried()
    {
        var client = Client(timeout: TimeSpan.FromSeconds(2));
        await client.GetAccessTokenAsync(Ct);
        _fake.Delay = TimeSpan.FromMinutes(1);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.SendCustomTextAsync("oUser1", "您好", Ct));

        Assert.Single(_fake.CallsTo(CustomSend));
    }

    [Fact]
    public async Task Json_goes_out_as_raw_UTF8_Chinese()
    {
        var client = Client();

        await client.SendCustomTextAsync("oUser1", "您好，工会热线为您服务 <&> \"引号\"", Ct);

        var call = Assert.Single(_fake.CallsTo(CustomSend));
        Assert.Contains("您好，工会热线为您服务", call.RawBody, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", call.RawBody, StringComparison.Ordinal);
        Assert.Equal("text", call.Body!["msgtype"]!.GetValue<string>());
        Assert.Equal("oUser1", call.Body["touser"]!.GetValue<string>());
        Assert.Equal("您好，工会热线为您服务 <&> \"引号\"", call.Body["text"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_template_message_carries_its_data_and_returns_the_msgid()
    {
        var client = Client();

        var msgId = await client.SendTemplateAsync("oUser1", "TEMPLATE_1", "https://hotline.example/cases/1", new Dictionary<string, string> { ["thing1"] = "工单已受理", ["time2"] = "2026-03-02 09:30" }, Ct);

        Assert.NotEqual(0, msgId);
        var call = Assert.Single(_fake.CallsTo("/cgi-bin/message/template/send"));
        Assert.Equal("TEMPLATE_1", call.Body!["template_id"]!.GetValue<string>());
        Assert.Equal("https://hotline.example/cases/1", call.Body["url"]!.GetValue<string>());
        Assert.Equal("工单已受理", call.Body["data"]!["thing1"]!["value"]!.GetValue<string>());
        Assert.Contains("工单已受理", call.RawBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_template_to_someone_who_does_not_follow_surfaces_as_43004()
    {
        var client = Client();
        _fake.Unfollow("oGone");

        var error = await Assert.ThrowsAsync<WeChatApiException>(() => client.SendTemplateAsync("oGone", "TEMPLATE_1", null, new Dictionary<string, string> { ["thing1"] = "x" }, Ct));

        Assert.Equal(WeChatApiException.RequireSubscribe, error.ErrorCode);
        Assert.Null(Assert.Single(_fake.CallsTo("/cgi-bin/message/template/send")).Body!["url"]);
    }

    [Fact]
    public async Task A_menu_is_sent_as_raw_UTF8_even_when_given_escaped()
    {
        var client = Client();

        await client.CreateMenuAsync("{\"button\":[{\"type\":\"click\",\"name\":\"\\u5e2e\\u52a9\",\"key\":\"HELP\"}]}", Ct);

        var call = Assert.Single(_fake.CallsTo("/cgi-bin/menu/create"));
        Assert.Contains("\"name\":\"帮助\"", call.RawBody, StringComparison.Ordinal);
        Assert.Equal(0, call.ErrorCode);
    }

    [Fact]
    public async Task A_wrong_AppSecret_surfaces_from_the_token_call()
    {
        var client = Client(secret: "wrong");

        var error = await Assert.ThrowsAsync<WeChatApiException>(() => client.SendCustomTextAsync("oUser1", "您好", Ct));

        Assert.Equal(WeChatApiException.InvalidAppSecret, error.ErrorCode);
        Assert.Empty(_fake.CallsTo(CustomSend));
    }

    [Fact]
    public async Task The_fake_also_serves_the_classic_token_endpoint()
    {
        var http = Http(null);

        var good = await http.GetStringAsync(new Uri(_fake.BaseAddress, $"/cgi-bin/token?grant_type=client_credential&appid={_fake.AppId}&secret={_fake.AppSecret}"), Ct);
        var bad = await http.GetStringAsync(new Uri(_fake.BaseAddress, $"/cgi-bin/token?grant_type=client_credential&appid={_fake.AppId}&secret=nope"), Ct);

        Assert.Contains("\"access_token\"", good, StringComparison.Ordinal);
        Assert.Contains("40125", bad, StringComparison.Ordinal);
        Assert.Equal(2, _fake.TokenFetches);
    }

    private WeChatApiClient Client(TimeProvider? time = null, TimeSpan? timeout = null, string? secret = null) =>
        new(Http(timeout), Options(_fake, secret), time: time);

    internal static WeChatOptions Options(FakeWeChatServer fake, string? secret = null) => new()
    {
        Token = "AAAAA",
        AppId = fake.AppId,
        AppSecret = secret ?? fake.AppSecret,
        ApiBaseUrl = fake.BaseAddress,
    };

    private HttpClient Http(TimeSpan? timeout)
    {
        var http = new HttpClient { Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        _http.Add(http);
        return http;
    }
}
