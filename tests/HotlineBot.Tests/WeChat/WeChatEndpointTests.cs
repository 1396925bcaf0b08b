using System.Diagnostics;
using System.Globalization;
using System.Net;
using HotlineBot.Tests.Integration;

namespace HotlineBot.Tests.WeChat;

/// <summary>/api/wechat through real Kestrel: the handshake, the three push modes, and what is refused before any turn runs.</summary>
public sealed class WeChatEndpointTests : IAsyncLifetime
{
    private readonly string _dataDirectory = TempDataDirectory.Create();
    private WeChatHost? _host;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private WeChatHost Host => _host!;

    public async ValueTask InitializeAsync() => _host = await WeChatHost.StartAsync(_dataDirectory, Cancellation);

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        TempDataDirectory.Delete(_dataDirectory);
    }

    [Fact]
    public async Task Handshake_AnswersExactlyTheEchostr()
    {
        var (status, body) = await Host.SendAsync(Host.Pushes.Handshake("4375120948345356249"), Cancellation);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("4375120948345356249", body);
    }

    [Fact]
    public async Task Handshake_SignedWithAnOldTimestamp_IsStillAnswered()
    {
        Host.Pushes.Timestamp = 1714036504;
        var (status, body) = await Host.SendAsync(Host.Pushes.Handshake("4375120948345356249"), Cancellation);
        Host.Pushes.Timestamp = null;

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("4375120948345356249", body);
    }

    [Fact]
    public async Task Handshake_WithAWrongSignature_Is401()
    {
        var push = Host.Pushes.Handshake();
        var (status, body) = await Host.SendAsync(push with { Query = push.Query.Replace("signature=", "signature=0", StringComparison.Ordinal) }, Cancellation);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.DoesNotContain("4375120948345356249", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlaintextPush_PolicyQuestion_GetsThePassiveAnswerWithFigureAndSource()
    {
        var started = Stopwatch.GetTimestamp();
        var reply = await Host.SayAsync("o_plain_worker", "周末加班工资怎么算", Cancellation);
        Timings.Report(string.Create(CultureInfo.InvariantCulture, $"wechat push -> passive reply (policy question, plaintext): {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.0} ms"));

        Assert.NotNull(reply);
        Assert.Contains("200%", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("**", reply, StringComparison.Ordinal);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(reply) <= 2048);
        Assert.Empty(Host.CustomTexts("o_plain_worker"));
    }

    [Fact]
    public async Task SafeModePush_IsDecrypted_AndAnsweredEncrypted()
    {
        var started = Stopwatch.GetTimestamp();
        var (status, body) = await Host.SendAsync(Host.Pushes.Safe(Host.Pushes.Text("o_safe_worker", "公司拖欠工资怎么办")), Cancellation);
        Timings.Report(string.Create(CultureInfo.InvariantCulture, $"wechat push -> passive reply (policy question, safe mode): {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.0} ms"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<Encrypt>", body, StringComparison.Ordinal);
        Assert.DoesNotContain("工资", body, StringComparison.Ordinal);
        var reply = Host.ReplyContent(body, "o_safe_worker");
        Assert.Contains("劳动", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompatibleModePush_UsesTheEncryptedCopy_AndAnswersEncrypted()
    {
        var (status, body) = await Host.SendAsync(Host.Pushes.Compatible(Host.Pushes.Text("o_compat_worker", "你好")), Cancellation);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<MsgSignature>", body, StringComparison.Ordinal);
        Assert.Contains("110", Host.ReplyContent(body, "o_compat_worker"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PushWithAWrongSignature_Is401_AndRunsNoTurn()
    {
        var push = Host.Pushes.Plaintext(Host.Pushes.Text("o_forged", "转人工"));
        var (status, _) = await Host.SendAsync(push with { Query = push.Query.Replace("signature=", "signature=f", StringComparison.Ordinal) }, Cancellation);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        // Nothing was processed: 你好 is a greeting, not the answer to a handoff's first question (which would ask for a phone).
        var next = await Host.SayAsync("o_forged", "你好", Cancellation);
        Assert.Contains("110", next, StringComparison.Ordinal);
        Assert.DoesNotContain("电话", next, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SafeModePushWithATamperedMsgSignature_Is401()
    {
        var push = Host.Pushes.Safe(Host.Pushes.Text("o_tampered", "你好"));
        var (status, _) = await Host.SendAsync(push with { Query = push.Query.Replace("msg_signature=", "msg_signature=0", StringComparison.Ordinal) }, Cancellation);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task PushWithATimestampSixMinutesOld_Is401()
    {
        Host.Pushes.Timestamp = DateTimeOffset.UtcNow.AddMinutes(-6).ToUnixTimeSeconds();
        var (status, _) = await Host.SendAsync(Host.Pushes.Plaintext(Host.Pushes.Text("o_stale", "你好")), Cancellation);
        Host.Pushes.Timestamp = null;

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task PushWithADoctype_Is400_NotExpanded()
    {
        const string Body = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><xml><ToUserName>gh_1</ToUserName><FromUserName>o_xxe</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>&x;</Content><MsgId>1</MsgId></xml>";
        var push = Host.Pushes.Plaintext(Host.Pushes.Text("o_xxe", "x"));
        var (status, body) = await Host.SendAsync(push with { Body = Body }, Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.DoesNotContain("root:", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OversizedPush_Is413()
    {
        var push = Host.Pushes.Plaintext(Host.Pushes.Text("o_big", new string('工', 200_000)));
        var (status, _) = await Host.SendAsync(push, Cancellation);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
    }
}
