namespace HotlineBot.WeChat.Api;

/// <summary>
/// An access token and its two instants: <see cref="RefreshAt"/> (about 5 minutes before expiry, when WeChat's
/// stable_token starts handing out the next one) and <see cref="ExpiresAt"/>.
/// </summary>
public sealed record AccessToken(string Value, DateTimeOffset RefreshAt, DateTimeOffset ExpiresAt)
{
    /// <summary>How long before expiry a token is replaced.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    /// <summary>A token fetched at <paramref name="now"/> that WeChat says lives <paramref name="expiresIn"/>; a short-lived one is replaced at half its life.</summary>
    public static AccessToken Issued(string value, DateTimeOffset now, TimeSpan expiresIn)
    {
        var refreshAfter = expiresIn > RefreshMargin * 2 ? expiresIn - RefreshMargin : expiresIn / 2;
        return new AccessToken(value, now + refreshAfter, now + expiresIn);
    }

    /// <summary>True while the token should be used as is.</summary>
    public bool IsFresh(DateTimeOffset now) => now < RefreshAt;
}
