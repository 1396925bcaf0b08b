using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HotlineBot.BotFramework.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HotlineBot.BotFramework.DirectLine;

/// <summary>
/// The part of the public Direct Line 3.0 API that DirectLineJS (and so Web Chat) uses, under
/// <c>/v3/directline</c>:
/// <list type="bullet">
/// <item><c>POST /tokens/generate</c> (secret): a token for a new conversation, <c>{conversationId, token, expires_in}</c>.</item>
/// <item><c>POST /tokens/refresh</c> (token): a new token for the same conversation and user, same shape.</item>
/// <item><c>POST /conversations</c> (token: its conversation; secret: a new one): 201 when this call started it, else 200,
/// <c>{conversationId, token, expires_in, streamUrl}</c>.</item>
/// <item><c>GET /conversations/{id}?watermark=W</c>: the same shape, with a streamUrl that resumes after W.</item>
/// <item><c>POST /conversations/{id}/activities</c>: 200 <c>{id}</c>, the id the echo carries.</item>
/// <item><c>GET /conversations/{id}/activities?watermark=W</c>: 200 <c>{activities, watermark}</c>.</item>
/// <item><c>GET /conversations/{id}/stream?t=TOKEN&amp;watermark=W</c>: the WebSocket at streamUrl.</item>
/// </list>
/// Credentials: no <c>Authorization: Bearer</c> header (or an empty one) is 401; a credential that is not
/// valid here is 403 (code <c>TokenExpired</c>, <c>TokenInvalid</c> or <c>Forbidden</c>), which DirectLineJS
/// reads as "expired" and stops asking with it. Nothing here is rate-limited: a 429 stops a polling client for good.
/// </summary>
public static partial class DirectLineEndpoints
{
    public const string BasePath = "/v3/directline";

    /// <summary>The streamUrl's query parameter that carries the token: the WebSocket handshake has no Authorization header.</summary>
    public const string TokenQuery = "t";

    private const string CacheControl = "no-store";

    public static RouteGroupBuilder MapDirectLineApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup(BasePath);
        group.MapPost("/tokens/generate", GenerateAsync);
        group.MapPost("/tokens/refresh", RefreshAsync);
        group.MapPost("/conversations", StartAsync);
        group.MapGet("/conversations/{conversationId}", ResumeAsync);
        group.MapPost("/conversations/{conversationId}/activities", PostActivityAsync);
        group.MapGet("/conversations/{conversationId}/activities", GetActivitiesAsync);
        group.MapGet("/conversations/{conversationId}/stream", StreamAsync);
        return group;
    }

    internal static async Task<IResult> GenerateAsync(HttpContext http, DirectLineChannel channel)
    {
        var caller = await AuthenticateAsync(http, channel, Bearer(http.Request), secretAllowed: true, conversationId: null);
        if (caller.Refusal is { } refusal)
        {
            return refusal;
        }

        if (!caller.IsSecret)
        {
            return Forbidden("Tokens are generated with the secret; refresh a token with /tokens/refresh.");
        }

        var start = await ReadStartAsync(http.Request, http.RequestAborted);
        if (start.UserId is { } userId && !DirectLineTokens.IsValidId(userId))
        {
            return Error(StatusCodes.Status400BadRequest, DirectLineErrorCodes.BadArgument, "user.id must be 1-128 letters, digits, '-', '_', '.', ':' or '@'.");
        }

        var token = channel.IssueToken(start.UserId);
        return Conversation(http, channel, token, StatusCodes.Status200OK, streamUrl: null);
    }

    internal static async Task<IResult> RefreshAsync(HttpContext http, DirectLineChannel channel)
    {
        var caller = await AuthenticateAsync(http, channel, Bearer(http.Request), secretAllowed: false, conversationId: null);
        if (caller.Refusal is { } refusal)
        {
            return refusal;
        }

        var token = channel.Tokens.Issue(caller.Token!.ConversationId, caller.Token.UserId);
        return Conversation(http, channel, token, StatusCodes.Status200OK, streamUrl: null);
    }

    internal static async Task<IResult> StartAsync(HttpContext http, DirectLineChannel channel)
    {
        var caller = await AuthenticateAsync(http, channel, Bearer(http.Request), secretAllowed: true, conversationId: null);
        if (caller.Refusal is { } refusal)
        {
            return refusal;
        }

        // The body is optional (DirectLineJS sends {user, locale}); a body it cannot use never fails the start.
        var start = await ReadStartAsync(http.Request, http.RequestAborted);
        var token = caller.Token;
        if (caller.IsSecret)
        {
            token = channel.IssueToken(DirectLineTokens.IsValidId(start.UserId) ? start.UserId : null);
        }

        var started = await channel.StartAsync(token!, start.Locale, http.RequestAborted);
        return Conversation(http, channel, token!, started ? StatusCodes.Status201Created : StatusCodes.Status200OK, StreamUrl(http.Request, token!, watermark: null));
    }

    internal static async Task<IResult> ResumeAsync(HttpContext http, string conversationId, DirectLineChannel channel, string? watermark = null)
    {
        var caller = await AuthenticateAsync(http, channel, Bearer(http.Request), secretAllowed: false, conversationId);
        if (caller.Refusal is { } refusal)
        {
            return refusal;
        }

        // DirectLineJS given a conversation id starts with this request, never with POST /conversations.
        await channel.StartAsync(caller.Token!, locale: null, http.RequestAborted);
        return Conversation(http, channel, caller.Token!, StatusCodes.Status200OK, StreamUrl(http.Request, caller.Token!, watermark));
    }

    internal static async Task<IResult> PostActivityAsync(HttpContext http, string conversationId, DirectLineChannel channel)
    {
        var caller = await AuthenticateAsync(http, channel, Bearer(http.Request), secretAllowed: false, conversationId);
        if (caller.Refusal is { } refusal)
        {
            return refusal;
        }

        // A chat message, not a file: the Direct Line limit is far below the Bot Framework endpoint's.
        var (activity, problem) = await ReadActivityAsync(http.Request, channel.Options.MaxActivityBytes, http.RequestAborted);
        if (activity is null)
        {
            return problem!;
        }

        try
        {
            var id = await channel.PostAsync(caller.Token!, activity, http.RequestAborted);
            return Results.Json(new ResourceResponse(id), ProtocolJson.Options, statusCode: StatusCodes.Status200OK);
        }
        catch (DirectLineBusyException)
        {
            // Only a client that posts faster than its turns run gets this; polling is never refused.
            return Error(StatusCodes.Status429TooManyRequests, "TooManyRequests", "Too many messages are waiting in this conversation.");
        }
    }

    internal static async Task<IResult> GetActivitiesAsync(HttpContext http, string conversationId, DirectLineChannel channel, string? watermark = null)
    {
        var caller = await AuthenticateAsync(http, channel, Bearer(http.Request), secretAllowed: false, conversationId);
        if (caller.Refusal is { } refusal)
        {
            return refusal;
        }

        // A valid token's conversation always answers (opened again, empty, if it expired or the service restarted):
        // a 404 would end the client's conversation for good.
        await channel.Store.OpenAsync(conversationId, http.RequestAborted);
        var page = await channel.Store.ReadAsync(conversationId, watermark, channel.Options.PageSize, http.RequestAborted)
            ?? new ActivitySet([], watermark ?? string.Empty);
        http.Response.Headers.CacheControl = CacheControl;
        return Results.Json(page, ProtocolJson.Options);
    }

    internal static async Task StreamAsync(HttpContext http, string conversationId, DirectLineChannel channel, IHostApplicationLifetime lifetime, ILoggerFactory logs, string? watermark = null)
    {
        var credential = http.Request.Query[TokenQuery].ToString() is { Length: > 0 } query ? query : Bearer(http.Request);
        var caller = await AuthenticateAsync(http, channel, credential, secretAllowed: false, conversationId);
        if (caller.Refusal is { } refusal)
        {
            await refusal.ExecuteAsync(http);
            return;
        }

        if (!http.WebSockets.IsWebSocketRequest)
        {
            await Error(StatusCodes.Status400BadRequest, DirectLineErrorCodes.BadArgument, "The stream is a WebSocket.").ExecuteAsync(http);
            return;
        }

        await channel.Store.OpenAsync(conversationId, http.RequestAborted);
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var stream = new DirectLineStream(socket, conversationId, channel.Store, channel.Options.PageSize, logs.CreateLogger<DirectLineStream>());
        await stream.RunAsync(watermark, lifetime.ApplicationStopping);
    }

    /// <summary>The absolute ws(s):// address of the conversation's stream, on the scheme and host the client used.</summary>
    internal static string StreamUrl(HttpRequest request, DirectLineToken token, string? watermark)
    {
        var scheme = request.IsHttps ? "wss" : "ws";
        var url = new StringBuilder()
            .Append(scheme).Append("://").Append(request.Host.ToUriComponent()).Append(request.PathBase.ToUriComponent())
            .Append(BasePath).Append("/conversations/").Append(Uri.EscapeDataString(token.ConversationId)).Append("/stream?");
        if (!string.IsNullOrEmpty(watermark))
        {
            url.Append("watermark=").Append(Uri.EscapeDataString(watermark)).Append('&');
        }

        return url.Append(TokenQuery + "=").Append(Uri.EscapeDataString(token.Token)).ToString();
    }

    private static IResult Conversation(HttpContext http, DirectLineChannel channel, DirectLineToken token, int status, string? streamUrl)
    {
        http.Response.Headers.CacheControl = CacheControl;
        var body = new DirectLineConversation(token.ConversationId, token.Token, channel.Tokens.SecondsLeft(token), streamUrl);
        return Results.Json(body, ProtocolJson.Options, statusCode: status);
    }

    private static string? Bearer(HttpRequest request) =>
        AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var header)
        && string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
        && !string.IsNullOrWhiteSpace(header.Parameter)
            ? header.Parameter.Trim()
            : null;

    /// <summary>Who is calling: the secret, or a valid token (for <paramref name="conversationId"/> when one is named); else the refusal.</summary>
    private static async Task<Caller> AuthenticateAsync(HttpContext http, DirectLineChannel channel, string? credential, bool secretAllowed, string? conversationId)
    {
        if (credential is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Caller.Refused(Error(StatusCodes.Status401Unauthorized, DirectLineErrorCodes.Unauthorized, "An Authorization: Bearer header with a Direct Line token is required."));
        }

        if (IsSecret(credential, channel.Options.Secret))
        {
            return secretAllowed
                ? new Caller(null, true, null)
                : Caller.Refused(Forbidden("The secret only generates tokens and starts conversations; use the conversation's token."));
        }

        var check = await channel.Tokens.ValidateAsync(credential);
        switch (check.Status)
        {
            case TokenStatus.Expired:
                return Caller.Refused(Error(StatusCodes.Status403Forbidden, DirectLineErrorCodes.TokenExpired, "The token has expired."));
            case TokenStatus.Invalid:
                LogInvalidToken(Logger(http), http.Request.Path);
                return Caller.Refused(Error(StatusCodes.Status403Forbidden, DirectLineErrorCodes.TokenInvalid, "The token is not valid."));
        }

        if (conversationId is not null && !string.Equals(conversationId, check.Token!.ConversationId, StringComparison.Ordinal))
        {
            return Caller.Refused(Forbidden("The token is for another conversation."));
        }

        return new Caller(check.Token, false, null);
    }

    private static bool IsSecret(string credential, string? secret) =>
        !string.IsNullOrWhiteSpace(secret)
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(credential), Encoding.UTF8.GetBytes(secret.Trim()));

    /// <summary>The optional body of generate and start: <c>{"user": {"id"}, "locale"}</c>; whatever else it holds is ignored.</summary>
    private static async Task<(string? UserId, string? Locale)> ReadStartAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is 0 || request.ContentLength > 16 * 1024 || request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return (null, null);
        }

        try
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            if (body.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            string? userId = null;
            string? locale = null;
            foreach (var property in body.RootElement.EnumerateObject())
            {
                if (property.NameEquals("user") || property.NameEquals("User"))
                {
                    userId = property.Value.ValueKind == JsonValueKind.Object ? Text(property.Value, "id") ?? Text(property.Value, "Id") : null;
                }
                else if (property.NameEquals("locale") && property.Value.ValueKind == JsonValueKind.String)
                {
                    locale = property.Value.GetString();
                }
            }

            return (userId, locale is { Length: <= 32 } ? locale : null);
        }
        catch (JsonException)
        {
            return (null, null);
        }

        static string? Text(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    /// <summary>The posted activity, or why it cannot be taken (400 malformed, 413 too large).</summary>
    private static async Task<(Activity? Activity, IResult? Problem)> ReadActivityAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        var tooLarge = Error(StatusCodes.Status413PayloadTooLarge, DirectLineErrorCodes.PayloadTooLarge, $"Activities are limited to {limit} bytes.");
        if (request.ContentLength > limit)
        {
            return (null, tooLarge);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return (null, tooLarge);
            }

            buffer.Write(chunk, 0, read);
        }

        Activity? activity;
        try
        {
            activity = buffer.Length == 0 ? null : JsonSerializer.Deserialize<Activity>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), ProtocolJson.Options);
        }
        catch (JsonException)
        {
            activity = null;
        }

        if (activity is null)
        {
            return (null, Error(StatusCodes.Status400BadRequest, DirectLineErrorCodes.BadArgument, "The body must be an Activity in JSON."));
        }

        if (string.IsNullOrWhiteSpace(activity.Type))
        {
            return (null, Error(StatusCodes.Status400BadRequest, DirectLineErrorCodes.BadArgument, "The activity has no type."));
        }

        // The channel tells the bot who joined; a client cannot.
        if (activity.Type is ActivityTypes.ConversationUpdate or ActivityTypes.InstallationUpdate)
        {
            return (null, Error(StatusCodes.Status400BadRequest, DirectLineErrorCodes.BadArgument, $"Clients do not send {activity.Type} activities."));
        }

        return (activity, null);
    }

    private static IResult Forbidden(string message) => Error(StatusCodes.Status403Forbidden, DirectLineErrorCodes.Forbidden, message);

    private static IResult Error(int status, string code, string message) =>
        Results.Json(new DirectLineErrorResponse(new DirectLineError(code, message)), ProtocolJson.Options, statusCode: status);

    private static ILogger Logger(HttpContext http) =>
        http.RequestServices.GetService(typeof(ILoggerFactory)) is ILoggerFactory logs ? logs.CreateLogger(typeof(DirectLineEndpoints)) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused a Direct Line request to {Path}: the token is not valid.")]
    private static partial void LogInvalidToken(ILogger logger, PathString path);

    private sealed record Caller(DirectLineToken? Token, bool IsSecret, IResult? Refusal)
    {
        public static Caller Refused(IResult refusal) => new(null, false, refusal);
    }
}
