using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HotlineBot.WeChat.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotlineBot.WeChat.Channel;

/// <summary>
/// The URL configured on the Official Account's admin page (服务器地址): <c>GET</c> is the server-verification handshake,
/// <c>POST</c> a pushed message in plaintext, compatible or safe mode. Every request is checked before anything is
/// read into the bot: the signature (in safe mode <c>msg_signature</c>, over the encrypted text) and a timestamp within
/// <see cref="MaxClockSkew"/>; otherwise 401. Bodies over <see cref="MaxBodyBytes"/> get 413, unreadable ones 400.
/// </summary>
public static partial class WeChatEndpoints
{
    public const string DefaultPath = "/api/wechat";

    /// <summary>A push's timestamp may be this far from the server's clock; further is a replay or a broken clock.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>The largest body read; a compatible-mode push is about three times its message.</summary>
    public const int MaxBodyBytes = WeChatXml.MaxBodyCharacters;

    private const string XmlContentType = "application/xml; charset=utf-8";

    public static IEndpointRouteBuilder MapWeChat(this IEndpointRouteBuilder app, string path = DefaultPath)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(path, Handshake);
        app.MapPost(path, PushAsync);
        return app;
    }

    private static IResult Handshake(HttpRequest request, IOptions<WeChatOptions> options)
    {
        var query = request.Query;
        // No freshness check here: echoing echostr after a valid signature reveals nothing, and the admin page may sign with any time.
        if (!WeChatSignature.VerifyHandshake(options.Value.Token!, query["timestamp"], query["nonce"], query["signature"]))
        {
            return Refused();
        }

        // The body is exactly echostr: no quotes, no newline.
        return Results.Text(query["echostr"].ToString(), "text/plain; charset=utf-8");
    }

    private static async Task PushAsync(HttpContext http)
    {
        var started = Stopwatch.GetTimestamp();
        var services = http.RequestServices;
        var settings = services.GetRequiredService<IOptions<WeChatOptions>>().Value;
        var time = services.GetRequiredService<TimeProvider>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WeChatEndpoints));
        var query = http.Request.Query;
        string? timestamp = query["timestamp"];
        string? nonce = query["nonce"];
        var encrypted = string.Equals(query["encrypt_type"], "aes", StringComparison.OrdinalIgnoreCase);
        if (!Fresh(timestamp, time) || (!encrypted && !WeChatSignature.VerifyHandshake(settings.Token!, timestamp, nonce, query["signature"])))
        {
            await WriteAsync(http, Refused()).ConfigureAwait(false);
            return;
        }

        var body = await ReadBodyAsync(http.Request, http.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await WriteAsync(http, Results.Text("body too large", statusCode: StatusCodes.Status413PayloadTooLarge)).ConfigureAwait(false);
            return;
        }

        WeChatInbound push;
        WeChatCrypto? crypto = null;
        try
        {
            push = WeChatXml.Parse(body);
            if (encrypted)
            {
                // Safe and compatible mode: only the encrypted text is trusted, and only once msg_signature vouches for it.
                if (!WeChatSignature.VerifyMessage(settings.Token!, timestamp, nonce, push.Encrypt, query["msg_signature"]))
                {
                    await WriteAsync(http, Refused()).ConfigureAwait(false);
                    return;
                }

                if (!settings.EncryptionEnabled)
                {
                    LogNoAesKey(logger);
                    await WriteAsync(http, Results.Text("encrypted push, but no EncodingAesKey is configured", statusCode: StatusCodes.Status400BadRequest)).ConfigureAwait(false);
                    return;
                }

                crypto = new WeChatCrypto(settings.EncodingAesKey!, settings.AppId!);
                push = WeChatXml.Parse(crypto.Decrypt(push.Encrypt!));
            }
        }
        catch (Exception e) when (e is FormatException or WeChatCryptoException)
        {
            LogUnreadable(logger, e.Message);
            await WriteAsync(http, Results.Text("unreadable push: " + e.Message, statusCode: StatusCodes.Status400BadRequest)).ConfigureAwait(false);
            return;
        }

        var channel = services.GetRequiredService<WeChatChannel>();
        var answer = await channel.HandleAsync(push, started, http.RequestAborted).ConfigureAwait(false);
        if (answer.ThenAsync is { } then)
        {
            var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            http.Response.OnCompleted(() =>
            {
                // After the response, so the passive part is shown before what follows it.
                _ = Task.Run(() => RunAfterAsync(then, logger, stopping), CancellationToken.None);
                return Task.CompletedTask;
            });
        }

        if (answer.Passive is null)
        {
            await WriteAsync(http, Results.Text(WeChatXml.Success, "text/plain; charset=utf-8")).ConfigureAwait(false);
            return;
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var reply = WeChatXml.TextReply(push, answer.Passive, now);
        if (crypto is not null)
        {
            reply = crypto.EncryptReply(settings.Token!, reply, now, string.IsNullOrEmpty(nonce) ? NewNonce() : nonce);
        }

        await WriteAsync(http, Results.Text(reply, XmlContentType)).ConfigureAwait(false);
    }

    private static async Task RunAfterAsync(Func<CancellationToken, Task> then, ILogger logger, CancellationToken stopping)
    {
        try
        {
            await then(stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            LogFollowingFailed(logger, e);
        }
    }

    private static bool Fresh(string? timestamp, TimeProvider time) =>
        long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
        && Math.Abs(time.GetUtcNow().ToUnixTimeSeconds() - seconds) <= MaxClockSkew.TotalSeconds;

    private static IResult Refused() => Results.Text("signature or timestamp rejected", statusCode: StatusCodes.Status401Unauthorized);

    private static Task WriteAsync(HttpContext http, IResult result) => result.ExecuteAsync(http);

    /// <summary>The body as text, or null when it is larger than <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<string?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static string NewNonce() => RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue).ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an unreadable WeChat push: {Problem}")]
    private static partial void LogUnreadable(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "WeChat sent an encrypted push but Hotline:WeChat:EncodingAesKey is not set.")]
    private static partial void LogNoAesKey(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending the rest of a WeChat reply failed.")]
    private static partial void LogFollowingFailed(ILogger logger, Exception exception);
}
