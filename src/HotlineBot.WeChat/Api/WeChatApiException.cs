namespace HotlineBot.WeChat.Api;

/// <summary>
/// A WeChat API call answered with a non-zero <c>errcode</c> (WeChat says so in an HTTP 200 JSON body). The constants
/// name the codes the hotline acts on; a send that fails with one of them was NOT delivered.
/// </summary>
public sealed class WeChatApiException : Exception
{
    /// <summary>-1: system busy; try again later (never at once for a send).</summary>
    public const int Busy = -1;

    /// <summary>40001: invalid credential, or the token is not the latest (also a wrong AppSecret on the token call).</summary>
    public const int InvalidCredential = 40001;

    /// <summary>40002: bad grant_type.</summary>
    public const int InvalidGrantType = 40002;

    /// <summary>40003: the OpenID is not a user of this account.</summary>
    public const int InvalidOpenId = 40003;

    /// <summary>40013: invalid AppID.</summary>
    public const int InvalidAppId = 40013;

    /// <summary>40014: invalid access token.</summary>
    public const int InvalidAccessToken = 40014;

    /// <summary>40125: invalid AppSecret.</summary>
    public const int InvalidAppSecret = 40125;

    /// <summary>40164: the caller's IP is not on the account's whitelist.</summary>
    public const int IpNotWhitelisted = 40164;

    /// <summary>41001: the access token is missing.</summary>
    public const int AccessTokenMissing = 41001;

    /// <summary>42001: the access token expired.</summary>
    public const int AccessTokenExpired = 42001;

    /// <summary>43004: the user does not follow the account (template messages).</summary>
    public const int RequireSubscribe = 43004;

    /// <summary>43101: the user refused (or used up) the subscription notification.</summary>
    public const int UserRefused = 43101;

    /// <summary>45009: the daily API quota is used up.</summary>
    public const int ApiFrequencyLimit = 45009;

    /// <summary>45015: outside the 48-hour customer-service window, or the user unfollowed: use a template message.</summary>
    public const int OutOfResponseWindow = 45015;

    /// <summary>45047: the customer-service quota after the user's last message is used up.</summary>
    public const int OutOfResponseCount = 45047;

    public WeChatApiException(int errorCode, string errorMessage)
        : base($"WeChat API error {errorCode}: {errorMessage}")
    {
        ErrorCode = errorCode;
        ErrorMessage = errorMessage;
    }

    public int ErrorCode { get; }

    public string ErrorMessage { get; }

    /// <summary>True for the codes that mean "this access token is no good": drop it and fetch another.</summary>
    public static bool IsTokenError(int errorCode) =>
        errorCode is InvalidCredential or InvalidAccessToken or AccessTokenExpired;
}
