using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using HotlineBot.BotFramework.DirectLine;
using HotlineBot.BotFramework.Schema;
using HotlineBot.Storage;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace HotlineBot.DirectLine;

/// <summary>The chat page's token endpoint settings (bound from <c>Hotline:DirectLine</c>, beside the channel's own).</summary>
public sealed class ChatTokenOptions
{
    /// <summary>Tokens one client (IP address; IPv6 by its /64) may get per minute: enough for reloads and a few tabs.</summary>
    [Range(10, 10_000)]
    public int TokensPerMinute { get; set; } = 30;
}

/// <summary>What <c>POST /api/chat/token</c> answers: a token for a new conversation, the conversation and its user.</summary>
public sealed record ChatToken(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("conversationId")] string ConversationId,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("userId")] string UserId);

/// <summary>
/// <c>POST /api/chat/token</c>: anonymous, so the page needs no secret; rate-limited per client, because each
/// call opens a conversation. Only this endpoint is limited: a 429 while polling would stop Web Chat for good.
/// </summary>
public static class ChatTokenApi
{
    public const string Path = "/api/chat/token";

    public static IEndpointRouteBuilder MapChatToken(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost(Path, async (HttpContext http, DirectLineChannel channel) =>
        {
            if (!await channel.Store.HasRoomAsync(http.RequestAborted))
            {
                // Full: no new conversations until idle ones expire; conversations already open go on.
                return Results.Json(new { error = new { code = "ServiceUnavailable", message = "在线咨询人数较多，请稍后再试，或拨打12351职工服务热线。" } },
                    statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            var token = channel.IssueToken();
            http.Response.Headers.CacheControl = "no-store";
            return Results.Json(new ChatToken(token.Token, token.ConversationId, channel.Tokens.SecondsLeft(token), token.UserId), ProtocolJson.Options);
        }).RequireRateLimiting(ChatTokenRateLimit.PolicyName);
        return app;
    }
}

/// <summary>
/// A fixed window per client of <see cref="ChatTokenOptions.TokensPerMinute"/> tokens a minute; beyond it, 429 with Retry-After.
/// Scaled out (<see cref="HotlineRedis.Enabled"/>) the count is kept in the shared Redis, so the limit holds across
/// instances; otherwise in this process.
/// </summary>
public sealed class ChatTokenRateLimit(IOptions<ChatTokenOptions> options, HotlineRedis redis) : IRateLimiterPolicy<string>
{
    public const string PolicyName = "chat-token";

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (context, cancellationToken) =>
    {
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        await response.WriteAsJsonAsync(new { error = new { code = "TooManyRequests", message = "请求过于频繁，请稍后再试。" } }, cancellationToken);
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var perMinute = options.Value.TokensPerMinute;
        var client = ClientKey(httpContext.Connection.RemoteIpAddress);
        if (redis.Enabled)
        {
            return RateLimitPartition.Get(client, key =>
                new RedisFixedWindowLimiter(redis.Connection.GetDatabase(), redis.Keys.Key("ratelimit", "chat-token", key), perMinute, Window));
        }

        return RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = Window,
            QueueLimit = 0,
        });
    }

    /// <summary>The client's address; for IPv6 its /64, since one device may use many addresses of its network.</summary>
    internal static string ClientKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
