using System.Net.Http.Json;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotlineBot.WeChat.Api;

/// <summary>
/// The outbound WeChat API: customer-service text (客服消息, within 48 h of the user's last message), template notices
/// (outside that window) and the custom menu. It owns the access token: fetched with stable_token, cached through an
/// <see cref="IAccessTokenCache"/> (one fetch at a time) and replaced about 5 minutes before expiry. When WeChat rejects
/// the token (40001, 40014, 42001) the token is dropped, a fresh one fetched and the call retried ONCE. Nothing else is
/// retried: a timed-out send may have been delivered, and sending again would duplicate it. JSON goes out as raw UTF-8.
/// </summary>
public sealed class WeChatApiClient
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        // Chinese as UTF-8 bytes, not \uXXXX escapes: WeChat's acceptance of escapes is not documented.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly HttpClient _http;
    private readonly WeChatOptions _options;
    private readonly IAccessTokenCache _tokens;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <param name="http">Any HttpClient (typed or named); its BaseAddress is not used: calls go to <see cref="WeChatOptions.ApiBaseUrl"/>. Its Timeout bounds every call.</param>
    /// <param name="options">AppId and AppSecret are required.</param>
    /// <param name="tokens">Shared token cache; default a private <see cref="InMemoryAccessTokenCache"/>. Pass the same singleton to every client of one AppID.</param>
    /// <param name="time">The clock that decides when a token is due; default the system clock.</param>
    /// <param name="logger">Optional.</param>
    public WeChatApiClient(HttpClient http, WeChatOptions options, IAccessTokenCache? tokens = null, TimeProvider? time = null, ILogger<WeChatApiClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.AppId);
        ArgumentException.ThrowIfNullOrEmpty(options.AppSecret);
        _http = http;
        _options = options;
        _time = time ?? TimeProvider.System;
        _tokens = tokens ?? new InMemoryAccessTokenCache(_time);
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>The current access token (cached; fetched when missing or due).</summary>
    public Task<AccessToken> GetAccessTokenAsync(CancellationToken cancellationToken = default) =>
        _tokens.GetOrFetchAsync(_options.AppId!, FetchTokenAsync, cancellationToken);

    /// <summary>
    /// A customer-service text message. Allowed within 48 h of the user's last message (5 messages); otherwise
    /// <see cref="WeChatApiException.OutOfResponseWindow"/> (45015) or <see cref="WeChatApiException.OutOfResponseCount"/> (45047).
    /// </summary>
    public Task SendCustomTextAsync(string openId, string content, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(openId);
        ArgumentNullException.ThrowIfNull(content);
        var body = new JsonObject
        {
            ["touser"] = openId,
            ["msgtype"] = "text",
            ["text"] = new JsonObject { ["content"] = content },
        };
        return CallAsync("/cgi-bin/message/custom/send", body, cancellationToken);
    }

    /// <summary>
    /// A template message (no 48-hour window; the user must follow, else <see cref="WeChatApiException.RequireSubscribe"/>).
    /// <paramref name="data"/> maps the template's keys to their text (sent as <c>{"key":{"value":"…"}}</c>). Returns WeChat's msgid.
    /// </summary>
    public async Task<long> SendTemplateAsync(string openId, string templateId, string? url, IReadOnlyDictionary<string, string> data, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(openId);
        ArgumentException.ThrowIfNullOrEmpty(templateId);
        ArgumentNullException.ThrowIfNull(data);
        var fields = new JsonObject();
        foreach (var (key, value) in data)
        {
            fields[key] = new JsonObject { ["value"] = value };
        }

        var body = new JsonObject { ["touser"] = openId, ["template_id"] = templateId };
        if (!string.IsNullOrEmpty(url))
        {
            body["url"] = url;
        }

        body["data"] = fields;
        var answer = await CallAsync("/cgi-bin/message/template/send", body, cancellationToken).ConfigureAwait(false);
        return answer.TryGetPropertyValue("msgid", out var msgId) && msgId is JsonValue number && number.TryGetValue<long>(out var id) ? id : 0;
    }

    /// <summary>Replaces the custom menu with <paramref name="menuJson"/> (<c>{"button":[…]}</c>, as WeChat documents it).</summary>
    public Task CreateMenuAsync(string menuJson, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(menuJson);
        var body = JsonNode.Parse(menuJson) as JsonObject
            ?? throw new ArgumentException("The menu must be a JSON object.", nameof(menuJson));
        return CallAsync("/cgi-bin/menu/create", body, cancellationToken);
    }

    private async Task<JsonObject> CallAsync(string path, JsonObject body, CancellationToken cancellationToken)
    {
        var payload = body.ToJsonString(JsonOptions);
        var token = await GetAccessTokenAsync(cancellationToken).ConfigureAwait(false);
        var answer = await PostAsync(path, token.Value, payload, cancellationToken).ConfigureAwait(false);
        var code = ErrorCode(answer);
        if (WeChatApiException.IsTokenError(code))
        {
            // The call was refused, not delivered: safe to repeat once with a fresh token. Never loop.
            _logger.LogWarning("WeChat rejected the access token on {Path} (errcode {ErrorCode}); fetching a new one and retrying once.", path, code);
            await _tokens.InvalidateAsync(_options.AppId!, token.Value, cancellationToken).ConfigureAwait(false);
            token = await GetAccessTokenAsync(cancellationToken).ConfigureAwait(false);
            answer = await PostAsync(path, token.Value, payload, cancellationToken).ConfigureAwait(false);
            code = ErrorCode(answer);
        }

        ThrowIfError(answer, code);
        return answer;
    }

    private async Task<AccessToken> FetchTokenAsync(CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["grant_type"] = "client_credential",
            ["appid"] = _options.AppId,
            ["secret"] = _options.AppSecret,
            ["force_refresh"] = false,
        };
        var answer = await PostAsync("/cgi-bin/stable_token", accessToken: null, body.ToJsonString(JsonOptions), cancellationToken).ConfigureAwait(false);
        ThrowIfError(answer, ErrorCode(answer));
        var value = answer["access_token"]?.GetValue<string>();
        var expiresIn = answer["expires_in"] is JsonValue seconds && seconds.TryGetValue<int>(out var s) ? s : 0;
        if (string.IsNullOrEmpty(value) || expiresIn <= 0)
        {
            throw new HttpRequestException("WeChat's stable_token answer has no access_token or expires_in.");
        }

        _logger.LogInformation("Fetched a WeChat access token valid for {Seconds} s.", expiresIn);
        return AccessToken.Issued(value, _time.GetUtcNow(), TimeSpan.FromSeconds(expiresIn));
    }

    private async Task<JsonObject> PostAsync(string path, string? accessToken, string payload, CancellationToken cancellationToken)
    {
        var pathAndQuery = accessToken is null ? path : path + "?access_token=" + Uri.EscapeDataString(accessToken);
        using var content = new StringContent(payload, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(new Uri(_options.ApiBaseUrl, pathAndQuery), content, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        try
        {
            return await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken).ConfigureAwait(false)
                ?? throw new HttpRequestException($"WeChat answered {path} with JSON null.");
        }
        catch (JsonException e)
        {
            throw new HttpRequestException($"WeChat answered {path} with something that is not a JSON object.", e);
        }
    }

    private static int ErrorCode(JsonObject answer) =>
        answer["errcode"] is JsonValue code && code.TryGetValue<int>(out var value) ? value : 0;

    private static void ThrowIfError(JsonObject answer, int code)
    {
        if (code != 0)
        {
            throw new WeChatApiException(code, answer["errmsg"]?.GetValue<string>() ?? string.Empty);
        }
    }
}
