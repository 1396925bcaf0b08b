using System.ComponentModel.DataAnnotations;

namespace HotlineBot.BotFramework.DirectLine;

/// <summary>The Direct Line 3.0 channel this service hosts for itself (the host binds it from its own section).</summary>
public sealed class DirectLineOptions : IValidatableObject
{
    /// <summary>The channel id of every activity that enters through Direct Line, whatever the client wrote (Web Chat writes "webchat").</summary>
    public const string ChannelId = "directline";

    /// <summary>
    /// The serviceUrl of Direct Line activities. It names this in-process channel rather than an HTTP address:
    /// the connector hands activities addressed to it to the conversation's queue instead of POSTing them, so
    /// no loopback endpoint exists, and conversation references stay valid when the service's address changes.
    /// </summary>
    public const string ServiceUrl = "urn:directline:local";

    /// <summary>The shortest secret accepted: it is a long-lived master key.</summary>
    public const int MinSecretLength = 32;

    /// <summary>
    /// Optional server-to-server secret: it may generate tokens and start conversations (each then used with
    /// its own token), nothing else. Empty: only tokens the service issues itself are accepted.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>How long a token is valid; a client refreshes it before then (Web Chat does every 15 minutes).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a conversation nobody touches outlives a token issued at its last activity, before its queue is dropped.</summary>
    public TimeSpan IdleMargin { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The most activities a conversation keeps; older ones are dropped first.</summary>
    [Range(10, 100_000)]
    public int MaxActivitiesPerConversation { get; set; } = 500;

    /// <summary>
    /// The most bytes (as JSON) a conversation keeps; older activities are dropped first. With the per-activity
    /// limit this bounds what one anonymous page can make the service hold.
    /// </summary>
    [Range(64 * 1024, 64 * 1024 * 1024)]
    public int MaxBytesPerConversation { get; set; } = 2 * 1024 * 1024;

    /// <summary>The largest activity a user may post (bytes of JSON): a chat message, not a file.</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxActivityBytes { get; set; } = 32 * 1024;

    /// <summary>How many conversations the service keeps at once; beyond it new chat tokens are refused (503) until idle ones expire.</summary>
    [Range(10, 10_000_000)]
    public int MaxConversations { get; set; } = 20_000;

    /// <summary>How many of a conversation's messages may wait for its running turn; more are refused (429), so one page cannot queue without end.</summary>
    [Range(1, 100)]
    public int MaxWaitingTurns { get; set; } = 8;

    /// <summary>How long a post waits for its turn to finish before it answers <c>{id}</c> anyway (the turn goes on; replies follow on the stream).</summary>
    public TimeSpan TurnWait { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The most activities one GET of activities (or one WebSocket frame) carries; the client pages with the watermark.</summary>
    [Range(1, 1000)]
    public int PageSize { get; set; } = 100;

    /// <summary>The bot's account in Direct Line conversations (the recipient of what users send, the sender of replies).</summary>
    [Required]
    public string BotId { get; set; } = "bot";

    [Required]
    public string BotName { get; set; } = "Bot";

    /// <summary>How long a conversation is kept after it was last used.</summary>
    public TimeSpan IdleTimeout => TokenLifetime + IdleMargin;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TokenLifetime < TimeSpan.FromSeconds(1) || TokenLifetime > TimeSpan.FromDays(1))
        {
            yield return new ValidationResult("TokenLifetime must be between 1 second and 1 day.", [nameof(TokenLifetime)]);
        }

        if (IdleMargin < TimeSpan.Zero)
        {
            yield return new ValidationResult("IdleMargin cannot be negative.", [nameof(IdleMargin)]);
        }

        if (!string.IsNullOrEmpty(Secret) && Secret.Trim().Length < MinSecretLength)
        {
            yield return new ValidationResult($"Secret must be at least {MinSecretLength} characters (or left empty).", [nameof(Secret)]);
        }
    }
}
