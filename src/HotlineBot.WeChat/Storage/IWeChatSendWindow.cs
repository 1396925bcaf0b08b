namespace HotlineBot.WeChat.Storage;

/// <summary>What opened a follower's customer-service allowance: each kind has its own quota and window.</summary>
public enum WeChatTrigger
{
    /// <summary>The follower sent a message.</summary>
    Message,

    /// <summary>A menu click, a follow (subscribe) or a QR scan.</summary>
    Interaction,
}

/// <summary>
/// How many customer-service (客服) messages may still be sent to each follower. WeChat refuses sends beyond its quota,
/// so the channel reserves sends here before calling the API; the counts are shared by every instance and a reservation
/// never over-grants, however many instances reserve at once.
/// </summary>
public interface IWeChatSendWindow
{
    /// <summary>
    /// Records a trigger at <paramref name="at"/>: that kind's allowance is reset (count back to full, window from
    /// <paramref name="at"/>). A trigger older than the one that opened the current window changes nothing.
    /// </summary>
    Task OpenAsync(string openId, WeChatTrigger trigger, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Reserves up to <paramref name="wanted"/> sends at <paramref name="now"/>, atomically: first from the Interaction
    /// allowance if its minute is still open, then from the Message allowance if its 48 h are still open.
    /// </summary>
    /// <returns>How many sends were granted (0 to <paramref name="wanted"/>).</returns>
    Task<int> ReserveAsync(string openId, int wanted, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Gives back sends reserved but not made (WeChat refused them before delivering): to the Message allowance first,
    /// then to the Interaction allowance, each only while still open and never above its quota.
    /// </summary>
    Task ReleaseAsync(string openId, int count, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>WeChat's customer-service quota per follower, as its documentation states it.</summary>
public static class WeChatQuota
{
    /// <summary>Sends allowed after a follower's message.</summary>
    public const int MessageSends = 5;

    /// <summary>Sends allowed after a menu click, a follow or a QR scan.</summary>
    public const int InteractionSends = 3;

    /// <summary>How long a follower's message keeps its allowance open.</summary>
    public static readonly TimeSpan MessageWindow = TimeSpan.FromHours(48);

    /// <summary>How long an interaction keeps its allowance open.</summary>
    public static readonly TimeSpan InteractionWindow = TimeSpan.FromMinutes(1);
}
