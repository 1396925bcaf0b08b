using System.Text.Json.Serialization;

namespace HotlineBot.BotFramework.DirectLine;

/// <summary>The Direct Line Conversation object: what token and stream generate, refresh, start and resume answer.</summary>
public sealed record DirectLineConversation(
    [property: JsonPropertyName("conversationId")] string ConversationId,
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("streamUrl")] string? StreamUrl = null);

/// <summary>The ErrorResponse body of every 4xx and 5xx: <c>{"error": {"code", "message"}}</c>.</summary>
public sealed record DirectLineErrorResponse([property: JsonPropertyName("error")] DirectLineError Error);

public sealed record DirectLineError(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message);

/// <summary>The stable error codes this channel answers with.</summary>
public static class DirectLineErrorCodes
{
    /// <summary>401: no <c>Authorization: Bearer</c> credential.</summary>
    public const string Unauthorized = "Unauthorized";

    /// <summary>403: the token expired (refresh it before it does; an expired one cannot be refreshed).</summary>
    public const string TokenExpired = "TokenExpired";

    /// <summary>403: the credential is neither a token this service issued nor the secret.</summary>
    public const string TokenInvalid = "TokenInvalid";

    /// <summary>403: a valid credential that may not do this (another conversation's token; the secret outside generate and start).</summary>
    public const string Forbidden = "Forbidden";

    /// <summary>400: the request body or a parameter is not acceptable.</summary>
    public const string BadArgument = "BadArgument";

    /// <summary>413: the activity is larger than the service accepts.</summary>
    public const string PayloadTooLarge = "PayloadTooLarge";
}
