using System.Net;
using HotlineBot.Tests.Casework;
using HotlineBot.WeChat.Protocol;

namespace HotlineBot.Tests.WeChat;

/// <summary>
/// The real host with the WeChat channel on, its API pointed at a <see cref="FakeWeChatServer"/> on real Kestrel, the
/// bootstrap admin and one operator (<see cref="CaseworkHost"/>) and short follow-up delays. Pushes are built and signed
/// by a <see cref="WeChatPushBuilder"/> with the same Token and keys, so the endpoint is driven exactly as WeChat would.
/// </summary>
public sealed class WeChatHost : IAsyncDisposable
{
    public const string Path = "/api/wechat";
    public const string Token = "HotlineToken12351";

    /// <summary>43 characters [A-Za-z0-9], as the admin page generates.</summary>
    public const string EncodingAesKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

    private WeChatHost(CaseworkHost casework, FakeWeChatServer weChat, WeChatPushBuilder pushes, string dataDirectory)
    {
        Casework = casework;
        WeChat = weChat;
        Pushes = pushes;
        DataDirectory = dataDirectory;
    }

    public CaseworkHost Casework { get; }

    public FakeWeChatServer WeChat { get; }

    public WeChatPushBuilder Pushes { get; }

    public string DataDirectory { get; }

    public HttpClient Client => Casework.Host.Client;

    /// <summary>The channel's settings (safe mode possible: the AES key is set) and fast follow-ups; <paramref name="more"/> adds or overrides.</summary>
    public static async Task<WeChatHost> StartAsync(string dataDirectory, CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? more = null)
    {
        var weChat = await FakeWeChatServer.StartAsync();
        try
        {
            var settings = CaseworkHost.FastFollowUps(TimeSpan.FromSeconds(1));
            settings["Hotline:WeChat:Token"] = Token;
            settings["Hotline:WeChat:AppId"] = weChat.AppId;
            settings["Hotline:WeChat:AppSecret"] = weChat.AppSecret;
            settings["Hotline:WeChat:EncodingAesKey"] = EncodingAesKey;
            settings["Hotline:WeChat:ApiBaseUrl"] = weChat.BaseAddress.ToString();
            foreach (var (key, value) in more ?? new Dictionary<string, string?>())
            {
                settings[key] = value;
            }

            var casework = await CaseworkHost.StartAsync(dataDirectory, settings, cancellationToken);
            return new WeChatHost(casework, weChat, new WeChatPushBuilder(Token, weChat.AppId, EncodingAesKey), dataDirectory);
        }
        catch
        {
            await weChat.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends a push as WeChat does (GET for the handshake, POST otherwise); the status and the body.</summary>
    public async Task<(HttpStatusCode Status, string Body)> SendAsync(WeChatPush push, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(push.Body.Length == 0 ? HttpMethod.Get : HttpMethod.Post, push.Url(Path));
        if (push.Body.Length > 0)
        {
            request.Content = new StringContent(push.Body, System.Text.Encoding.UTF8, "text/xml");
        }

        using var response = await Client.SendAsync(request, cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>A plaintext text message from <paramref name="openId"/>; the passive reply's content (null for "success").</summary>
    public async Task<string?> SayAsync(string openId, string text, CancellationToken cancellationToken)
    {
        var (status, body) = await SendAsync(Pushes.Plaintext(Pushes.Text(openId, text)), cancellationToken);
        Assert.Equal(HttpStatusCode.OK, status);
        return ReplyContent(body, openId);
    }

    /// <summary>
    /// The Content of a passive reply (decrypted first when it is the safe-mode envelope, whose signature is checked),
    /// after checking it is addressed to <paramref name="openId"/> from the account; null for "success".
    /// </summary>
    public string? ReplyContent(string body, string openId)
    {
        if (body == WeChatXml.Success)
        {
            return null;
        }

        var reply = WeChatXml.Parse(body);
        if (reply.Encrypt is { } encrypt)
        {
            Assert.True(WeChatSignature.VerifyMessage(Token, reply.Fields["TimeStamp"], reply.Fields["Nonce"], encrypt, reply.Fields["MsgSignature"]), "the encrypted reply is signed");
            reply = WeChatXml.Parse(new WeChatCrypto(EncodingAesKey, WeChat.AppId).Decrypt(encrypt));
        }

        Assert.Equal("text", reply.MsgType);
        Assert.Equal(openId, reply.ToUserName);
        Assert.Equal(WeChatPushBuilder.AccountId, reply.FromUserName);
        return reply.Content;
    }

    /// <summary>The customer-service texts the fake received for <paramref name="openId"/>, in order.</summary>
    public IReadOnlyList<string> CustomTexts(string openId) =>
        [.. WeChat.CallsTo("/cgi-bin/message/custom/send")
            .Where(c => c.ErrorCode == 0 && (string?)c.Body?["touser"] == openId)
            .Select(c => (string)c.Body!["text"]!["content"]!)];

    /// <summary>Waits until the fake has received <paramref name="count"/> accepted customer-service texts for <paramref name="openId"/>.</summary>
    public async Task<IReadOnlyList<string>> WaitForCustomTextsAsync(string openId, int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (CustomTexts(openId).Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, cancellationToken);
        }

        return CustomTexts(openId);
    }

    public async ValueTask DisposeAsync()
    {
        await Casework.DisposeAsync();
        await WeChat.DisposeAsync();
    }
}
