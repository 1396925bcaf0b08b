using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HotlineBot.Testing;

/// <summary>One call the fake received: its path, the access_token it carried, its body (raw and parsed) and the errcode it got.</summary>
public sealed record FakeWeChatCall(string Path, string? AccessToken, string RawBody, JsonNode? Body, int ErrorCode);

/// <summary>
/// WeChat's API servers (api.weixin.qq.com) as a real Kestrel server on a free loopback port, speaking the real wire
/// protocol: HTTP 200 with <c>{"errcode":…,"errmsg":…}</c> for every outcome, tokens from stable_token and /cgi-bin/token,
/// 40001 for an unknown token and 42001 for an expired one. Tests script it (expire the token, put a user outside the
/// 48-hour window, delay, fail the next calls) and assert on what it recorded. Point WeChatOptions.ApiBaseUrl at <see cref="BaseAddress"/>.
/// </summary>
public sealed class FakeWeChatServer : IAsyncDisposable
{
    public const string DefaultAppId = "wxba5fad812f8e6fb9";
    public const string DefaultAppSecret = "fake-app-secret";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeWeChatCall> _calls = new();
    private readonly ConcurrentDictionary<string, bool> _tokens = new(StringComparer.Ordinal); // token → expired
    private readonly ConcurrentDictionary<string, byte> _outsideWindow = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _unfollowed = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private string? _stableToken;
    private int _tokenFetches;
    private int _failures;
    private int _failureCode;
    private string _failureMessage = string.Empty;

    private FakeWeChatServer(WebApplication app, string appId, string appSecret)
    {
        _app = app;
        AppId = appId;
        AppSecret = appSecret;
    }

    public string AppId { get; }

    public string AppSecret { get; }

    /// <summary>http://127.0.0.1:port/</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>expires_in of every token handed out.</summary>
    public int TokenLifetimeSeconds { get; set; } = 7200;

    /// <summary>How long message and menu calls wait before answering (the wait ends if the client gives up).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>How many tokens were requested (stable_token and /cgi-bin/token, successful or not).</summary>
    public int TokenFetches => Volatile.Read(ref _tokenFetches);

    /// <summary>The token stable_token hands out now (null before the first fetch).</summary>
    public string? CurrentToken => Volatile.Read(ref _stableToken);

    /// <summary>Every call so far, in arrival order.</summary>
    public IReadOnlyList<FakeWeChatCall> Calls => [.. _calls];

    /// <summary>The calls to one path, for example <c>/cgi-bin/message/custom/send</c>.</summary>
    public IReadOnlyList<FakeWeChatCall> CallsTo(string path) => [.. _calls.Where(call => call.Path == path)];

    public static async Task<FakeWeChatServer> StartAsync(string appId = DefaultAppId, string appSecret = DefaultAppSecret)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeWeChatServer(app, appId, appSecret);
        fake.Map(app);
        await app.StartAsync();
        var address = app.Urls.First();
        fake.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return fake;
    }

    /// <summary>The current token now answers 42001; the next non-forced stable_token hands out a new one.</summary>
    public void ExpireCurrentToken()
    {
        lock (_lock)
        {
            if (_stableToken is not null)
            {
                _tokens[_stableToken] = true;
            }
        }
    }

    /// <summary>Customer-service messages to <paramref name="openId"/> answer 45015 (outside the 48-hour window or unfollowed).</summary>
    public void PutOutsideWindow(string openId) => _outsideWindow[openId] = 0;

    /// <summary>Template messages to <paramref name="openId"/> answer 43004 (does not follow the account).</summary>
    public void Unfollow(string openId) => _unfollowed[openId] = 0;

    /// <summary>The next <paramref name="count"/> message or menu calls answer <paramref name="errorCode"/> whatever their token.</summary>
    public void FailNext(int count, int errorCode, string errorMessage = "scripted failure")
    {
        lock (_lock)
        {
            _failures = count;
            _failureCode = errorCode;
            _failureMessage = errorMessage;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void Map(WebApplication app)
    {
        app.MapPost("/cgi-bin/stable_token", async context =>
        {
            var (raw, body) = await ReadAsync(context);
            Interlocked.Increment(ref _tokenFetches);
            var (code, message) = CheckCredentials(body?["grant_type"]?.GetValue<string>(), body?["appid"]?.GetValue<string>(), body?["secret"]?.GetValue<string>());
            if (code != 0)
            {
                await AnswerAsync(context, "/cgi-bin/stable_token", null, raw, body, code, message);
                return;
            }

            var force = body?["force_refresh"]?.GetValue<bool>() ?? false;
            string token;
            lock (_lock)
            {
                if (force && _stableToken is not null)
                {
                    _tokens.TryRemove(_stableToken, out _);
                }

                if (force || _stableToken is null || _tokens.GetValueOrDefault(_stableToken, true))
                {
                    _stableToken = IssueToken();
                }

                token = _stableToken;
            }

            await AnswerAsync(context, "/cgi-bin/stable_token", null, raw, body, 0, "ok", new JsonObject { ["access_token"] = token, ["expires_in"] = TokenLifetimeSeconds });
        });

        app.MapGet("/cgi-bin/token", async context =>
        {
            Interlocked.Increment(ref _tokenFetches);
            var query = context.Request.Query;
            var (code, message) = CheckCredentials(query["grant_type"], query["appid"], query["secret"]);
            if (code != 0)
            {
                await AnswerAsync(context, "/cgi-bin/token", null, string.Empty, null, code, message);
                return;
            }

            // Each call hands out a new token; the old one keeps working for a while (as WeChat's 5 minutes).
            await AnswerAsync(context, "/cgi-bin/token", null, string.Empty, null, 0, "ok", new JsonObject { ["access_token"] = IssueToken(), ["expires_in"] = TokenLifetimeSeconds });
        });

        app.MapPost("/cgi-bin/message/custom/send", context => ApiAsync(context, "/cgi-bin/message/custom/send", body =>
        {
            var to = body["touser"]?.GetValue<string>();
            var type = body["msgtype"]?.GetValue<string>();
            if (string.IsNullOrEmpty(to) || string.IsNullOrEmpty(type) || body[type] is null)
            {
                return (47001, "data format error");
            }

            return _outsideWindow.ContainsKey(to) ? (45015, "response out of time limit or subscription is canceled") : (0, "ok");
        }));

        app.MapPost("/cgi-bin/message/template/send", context => ApiAsync(context, "/cgi-bin/message/template/send", body =>
        {
            var to = body["touser"]?.GetValue<string>();
            if (string.IsNullOrEmpty(to) || string.IsNullOrEmpty(body["template_id"]?.GetValue<string>()) || body["data"] is not JsonObject)
            {
                return (47001, "data format error");
            }

            return _unfollowed.ContainsKey(to) ? (43004, "require subscribe") : (0, "ok");
        }));

        app.MapPost("/cgi-bin/menu/create", context => ApiAsync(context, "/cgi-bin/menu/create", body =>
            body["button"] is JsonArray { Count: >= 1 and <= 3 } ? (0, "ok") : (40016, "invalid button size")));
    }

    private async Task ApiAsync(HttpContext context, string path, Func<JsonObject, (int Code, string Message)> check)
    {
        var (raw, body) = await ReadAsync(context);
        string? token = context.Request.Query["access_token"];
        var (code, message) = CheckToken(token);
        if (code == 0 && TakeFailure() is { } failure)
        {
            (code, message) = failure;
        }

        if (code == 0)
        {
            (code, message) = body is JsonObject json ? check(json) : (47001, "data format error");
        }

        var answer = Error(code, message);
        if (code == 0 && path == "/cgi-bin/message/template/send")
        {
            answer["msgid"] = Random.Shared.NextInt64(1, long.MaxValue);
        }

        _calls.Enqueue(new FakeWeChatCall(path, token, raw, body, code));
        if (Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        await WriteAsync(context, answer);
    }

    private async Task AnswerAsync(HttpContext context, string path, string? token, string raw, JsonNode? body, int code, string message, JsonObject? success = null)
    {
        _calls.Enqueue(new FakeWeChatCall(path, token, raw, body, code));
        // A token answer carries no errcode when it succeeds; every other answer does.
        await WriteAsync(context, code == 0 && success is not null ? success : Error(code, message));
    }

    private static JsonObject Error(int code, string message) => new() { ["errcode"] = code, ["errmsg"] = message };

    private static async Task WriteAsync(HttpContext context, JsonObject answer)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(answer.ToJsonString());
    }

    private static async Task<(string Raw, JsonNode? Body)> ReadAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, System.Text.Encoding.UTF8);
        var raw = await reader.ReadToEndAsync();
        try
        {
            return (raw, raw.Length == 0 ? null : JsonNode.Parse(raw));
        }
        catch (System.Text.Json.JsonException)
        {
            return (raw, null);
        }
    }

    private (int Code, string Message) CheckCredentials(string? grantType, string? appId, string? secret) =>
        grantType != "client_credential" ? (40002, "invalid grant_type")
        : appId != AppId ? (40013, "invalid appid")
        : secret != AppSecret ? (40125, "invalid appsecret")
        : (0, "ok");

    private (int Code, string Message) CheckToken(string? token) =>
        string.IsNullOrEmpty(token) ? (41001, "access_token missing")
        : !_tokens.TryGetValue(token, out var expired) ? (40001, "invalid credential, access_token is invalid or not latest")
        : expired ? (42001, "access_token expired")
        : (0, "ok");

    private (int, string)? TakeFailure()
    {
        lock (_lock)
        {
            if (_failures <= 0)
            {
                return null;
            }

            _failures--;
            return (_failureCode, _failureMessage);
        }
    }

    private string IssueToken()
    {
        var token = "fake-token-" + Guid.NewGuid().ToString("N");
        _tokens[token] = false;
        return token;
    }
}
