using HotlineBot.BotFramework.Schema;

namespace HotlineBot.Dialogs.Handoff;

/// <summary>
/// Which of a message's attachments can go onto a case: pictures and files the channel gives a web link
/// for (WeChat's PicUrl, say). Cards and attachments without an http(s) link are not kept: the operator
/// could not open them.
/// </summary>
public static class WorkerAttachments
{
    /// <summary>The most attachments one message adds to a case.</summary>
    public const int MaxPerMessage = 9;

    /// <summary>The attachments of <paramref name="activity"/> a case can keep, in order, each url once.</summary>
    public static IReadOnlyList<Attachment> Attachable(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return activity.Attachments is not { Count: > 0 } attachments
            ? []
            : [.. attachments.Where(IsAttachable).DistinctBy(a => a.ContentUrl, StringComparer.Ordinal).Take(MaxPerMessage)];
    }

    /// <summary>Whether every one is a picture (the reply says 图片, else 文件).</summary>
    public static bool AreImages(IEnumerable<Attachment> attachments) =>
        attachments.All(a => a.ContentType!.StartsWith("image/", StringComparison.OrdinalIgnoreCase));

    private static bool IsAttachable(Attachment a) =>
        !string.IsNullOrWhiteSpace(a.ContentType)
        && IsFile(a.ContentType)
        && Uri.TryCreate(a.ContentUrl, UriKind.Absolute, out var url)
        && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp);

    /// <summary>Pictures and files; cards (<c>application/vnd.microsoft.card.*</c>) are replies' layout, not the worker's material.</summary>
    private static bool IsFile(string contentType) =>
        contentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase)
        || (contentType.StartsWith("application/", StringComparison.OrdinalIgnoreCase)
            && !contentType.StartsWith("application/vnd.microsoft.", StringComparison.OrdinalIgnoreCase));
}
