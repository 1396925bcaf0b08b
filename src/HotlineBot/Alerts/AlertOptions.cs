using HotlineBot.Extensions;

namespace HotlineBot.Alerts;

/// <summary>
/// Operators' alerts outside the console (config section <c>Hotline:Alerts</c>): a WeCom group robot posts
/// where operators already are. Off while <see cref="WeComRobotUrl"/> is unset.
/// </summary>
public sealed class AlertOptions
{
    public const string SectionName = "Hotline:Alerts";

    /// <summary>The group robot's webhook, <c>https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY</c>. The key is its only credential: never logged.</summary>
    public string? WeComRobotUrl { get; set; }

    /// <summary>Where operators reach this service (e.g. <c>https://hotline.example.org</c>), for the link to the case; without it the message names the console's path.</summary>
    public string? PublicBaseUrl { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(WeComRobotUrl);

    /// <summary>The webhook as a URI (only when <see cref="Enabled"/>).</summary>
    public Uri RobotUri => new(WeComRobotUrl!.Trim(), UriKind.Absolute);

    /// <summary>
    /// The console opened on the case: it reads the case id from the fragment (<c>/operator/#12351-20261130-0001</c>),
    /// also after signing in. Null without <see cref="PublicBaseUrl"/>.
    /// </summary>
    public Uri? CaseLink(string caseId) => string.IsNullOrWhiteSpace(PublicBaseUrl)
        ? null
        : new Uri($"{PublicBaseUrl.Trim().TrimEnd('/')}{OperatorConsoleExtensions.BasePath}/#{Uri.EscapeDataString(caseId)}", UriKind.Absolute);

    /// <summary>Both URLs, when given, are absolute http(s) URLs.</summary>
    internal static bool IsValid(AlertOptions options) =>
        IsHttpUrl(options.WeComRobotUrl) && IsHttpUrl(options.PublicBaseUrl);

    private static bool IsHttpUrl(string? value) =>
        string.IsNullOrWhiteSpace(value)
        || (Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp));
}
