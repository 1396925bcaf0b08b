using Microsoft.AspNetCore.StaticFiles;

namespace HotlineBot.Extensions;

/// <summary>What every page file the service sends (the chat page, the operator console) gets.</summary>
internal static class StaticPageFiles
{
    public static void PrepareResponse(StaticFileResponseContext file)
    {
        var response = file.Context.Response;
        // Revalidated on every load (ETag): a new release is picked up without a stale script.
        response.Headers.CacheControl = "no-cache";
        // The files hold Chinese text: say how they are encoded rather than leave it to sniffing.
        if (response.ContentType is { } type && type.StartsWith("text/", StringComparison.Ordinal) && !type.Contains("charset", StringComparison.OrdinalIgnoreCase))
        {
            response.ContentType = type + "; charset=utf-8";
        }
    }
}
