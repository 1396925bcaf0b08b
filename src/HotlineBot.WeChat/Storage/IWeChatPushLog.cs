namespace HotlineBot.WeChat.Storage;

/// <summary>
/// Which WeChat pushes were already taken on, and what they were answered with. WeChat retries a push it got no answer
/// to within 5 s (three deliveries in all, possibly to another instance): the log lets exactly one delivery run the
/// turn, and lets a retry answer with the same passive reply.
/// </summary>
public interface IWeChatPushLog
{
    /// <summary>How long a push is remembered; far longer than WeChat's retries take.</summary>
    static readonly TimeSpan Retention = TimeSpan.FromDays(1);

    /// <summary>
    /// Claims the push under <paramref name="key"/> (for example <c>msg:123</c> or <c>event:openid:1714036504</c>).
    /// <see cref="PushClaim.First"/> is true for exactly one caller within the retention, atomically across instances
    /// and processes; every later caller gets false and the reply stored so far (null while the first has not completed).
    /// </summary>
    Task<PushClaim> ClaimAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Stores what the push was answered with (the passive reply's plain text, or "" for <c>success</c>), so later
    /// claims return it. Completing twice keeps the first reply.
    /// </summary>
    Task CompleteAsync(string key, string reply, CancellationToken cancellationToken);
}

/// <summary>The outcome of a claim: whether this caller runs the turn, else the reply the first caller gave (if any yet).</summary>
public sealed record PushClaim(bool First, string? Reply);
