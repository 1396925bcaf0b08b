namespace HotlineBot.WeChat;

/// <summary>
/// The Official Account's settings (section <see cref="SectionName"/>), from the 公众号 admin page "设置与开发 → 基本配置".
/// The channel is on when <see cref="Token"/> is set; <see cref="Validate"/> then says what else is missing or malformed,
/// so a typo fails at start-up rather than at the first push.
/// </summary>
public sealed class WeChatOptions
{
    public const string SectionName = "Hotline:WeChat";

    /// <summary>The default API host; tests point <see cref="ApiBaseUrl"/> at a fake.</summary>
    public static readonly Uri DefaultApiBaseUrl = new("https://api.weixin.qq.com");

    /// <summary>The server-configuration Token (令牌): 3–32 characters [A-Za-z0-9], used to sign pushes. Empty turns the channel off.</summary>
    public string? Token { get; set; }

    /// <summary>The account's AppID (wx…): the stable_token credential and the tail of every encrypted message.</summary>
    public string? AppId { get; set; }

    /// <summary>The account's AppSecret, for the access token. A secret: keep it out of appsettings.json.</summary>
    public string? AppSecret { get; set; }

    /// <summary>The EncodingAESKey (消息加解密密钥): 43 characters [A-Za-z0-9]. Needed only in compatible or safe mode; empty means plaintext mode.</summary>
    public string? EncodingAesKey { get; set; }

    /// <summary>Where the WeChat API lives; default <see cref="DefaultApiBaseUrl"/>.</summary>
    public Uri ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    /// <summary>The template (模板消息) used to tell a follower about their case outside the 48-hour window; empty disables template notices.</summary>
    public string? TemplateId { get; set; }

    /// <summary>
    /// The template's data keys and the text for each (for example <c>"thing1": "{caseId}"</c>, <c>"time2": "{updated}"</c>); the
    /// host fills the placeholders and passes the result to <see cref="Api.WeChatApiClient.SendTemplateAsync"/>.
    /// </summary>
    public Dictionary<string, string> TemplateFields { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// How long a push waits for its turn before answering <c>success</c> and sending the reply through the
    /// customer-service API instead: WeChat gives up (and retries) after 5 s.
    /// </summary>
    public TimeSpan ReplyBudget { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>True when the WeChat channel is configured (a Token is set).</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Token);

    /// <summary>True when pushes may be encrypted (compatible or safe mode): an EncodingAESKey is set.</summary>
    public bool EncryptionEnabled => !string.IsNullOrEmpty(EncodingAesKey);

    /// <summary>What is wrong with the settings, one English sentence each; empty when they are usable or the channel is off.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!Enabled)
        {
            return problems;
        }

        if (Token!.Length is < 3 or > 32 || !Token.All(char.IsAsciiLetterOrDigit))
        {
            problems.Add($"{SectionName}:Token must be 3 to 32 characters [A-Za-z0-9].");
        }

        if (string.IsNullOrWhiteSpace(AppId) || !AppId.StartsWith("wx", StringComparison.Ordinal) || !AppId.All(char.IsAsciiLetterOrDigit))
        {
            problems.Add($"{SectionName}:AppId must be the account's AppID (wx followed by letters and digits).");
        }

        if (string.IsNullOrWhiteSpace(AppSecret))
        {
            problems.Add($"{SectionName}:AppSecret is required to fetch the access token.");
        }

        if (EncryptionEnabled && !IsValidEncodingAesKey(EncodingAesKey))
        {
            problems.Add($"{SectionName}:EncodingAesKey must be 43 characters [A-Za-z0-9] (or empty for plaintext mode).");
        }

        if (!ApiBaseUrl.IsAbsoluteUri || (ApiBaseUrl.Scheme != Uri.UriSchemeHttps && ApiBaseUrl.Scheme != Uri.UriSchemeHttp))
        {
            problems.Add($"{SectionName}:ApiBaseUrl must be an absolute http(s) URL.");
        }

        if (ReplyBudget < TimeSpan.Zero || ReplyBudget > TimeSpan.FromSeconds(4.5))
        {
            problems.Add($"{SectionName}:ReplyBudget must be between 0 and 4.5 seconds (WeChat waits 5).");
        }

        if (TemplateFields.Count > 0 && string.IsNullOrWhiteSpace(TemplateId))
        {
            problems.Add($"{SectionName}:TemplateFields are set but TemplateId is not.");
        }

        return problems;
    }

    /// <summary>True for a well-formed EncodingAESKey: 43 characters [A-Za-z0-9].</summary>
    public static bool IsValidEncodingAesKey(string? key) => key is { Length: 43 } && key.All(char.IsAsciiLetterOrDigit);
}
