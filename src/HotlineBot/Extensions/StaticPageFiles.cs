using Microsoft.AspNetCore.StaticFiles;

namespace HotlineBot.Extensions;

/// <summary>What every page file the service sends (the chat page, the staff pages) gets, and how the staff pages are served.</summary>
internal static class StaticPageFiles
{
    /// <summary>Where the files both staff pages load (wwwroot/shared/: staff.js, staff.css) are served.</summary>
    public const string SharedStaffPath = "/shared";

    /// <summary>
    /// Only our own files: a staff page has no inline script or style and loads nothing from elsewhere, so an
    /// injected tag could neither run nor call out. The page is never framed (clickjacking).
    /// </summary>
    public const string StaffContentSecurityPolicy =
        "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    // Marks the app once /shared is mapped: both staff pages need it, either may be mapped first.
    private const string SharedMappedKey = "HotlineBot.StaffSharedFilesMapped";

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

    /// <summary>
    /// Serves the folder wwwroot<paramref name="basePath"/> at <paramref name="basePath"/> (its index.html at the
    /// path itself and with a trailing slash) under <see cref="StaffContentSecurityPolicy"/>, and, once for both
    /// staff pages, wwwroot/shared/ at <see cref="SharedStaffPath"/> under the same headers. The staff pages (the
    /// operators' console, the admins' page) are plain files that sign in with the cookie and call the API.
    /// </summary>
    public static WebApplication MapStaffPage(this WebApplication app, string basePath, string name)
    {
        ArgumentNullException.ThrowIfNull(app);
        MapStaffFolder(app, basePath, name);
        var properties = ((IApplicationBuilder)app).Properties;
        if (!properties.ContainsKey(SharedMappedKey))
        {
            properties[SharedMappedKey] = true;
            MapStaffFolder(app, SharedStaffPath, "staff pages' shared files");
        }

        return app;
    }

    private static void MapStaffFolder(WebApplication app, string basePath, string name)
    {
        // The content root's wwwroot: the build output's copy under `dotnet run`, the project's under the test host.
        var files = app.Environment.WebRootFileProvider;
        if (!files.GetDirectoryContents(basePath).Exists)
        {
            app.Logger.LogWarning("The {Page}'s files are missing (wwwroot{Path} under {ContentRoot}); {Path} will answer 404.", name, basePath, app.Environment.ContentRootPath, basePath);
        }

        app.UseWhen(context => context.Request.Path.StartsWithSegments(basePath), page =>
        {
            page.Use((context, next) =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = StaffContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                return next(context);
            });
            // index.html at the path itself too: the page links its files by absolute path.
            page.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RedirectToAppendTrailingSlash = false });
            page.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = files,
                OnPrepareResponse = PrepareResponse,
            });
        });
    }
}
