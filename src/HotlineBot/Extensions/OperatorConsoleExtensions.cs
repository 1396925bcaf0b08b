namespace HotlineBot.Extensions;

public static class OperatorConsoleExtensions
{
    /// <summary>Where the console is served; its files are wwwroot/operator/.</summary>
    public const string BasePath = "/operator";

    /// <summary>
    /// Only our own files: a staff page has no inline script or style and loads nothing from elsewhere, so an
    /// injected tag could neither run nor call out. The page is never framed (clickjacking).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// The operators' console, static files from wwwroot/operator/ at <c>/operator</c> (index.html at
    /// <c>/operator</c> and <c>/operator/</c>), sent with a strict Content-Security-Policy. It signs in
    /// with the cookie (<c>POST /api/auth/login</c>) and uses the case API; it holds no data itself.
    /// </summary>
    public static WebApplication MapOperatorConsole(this WebApplication app) => app.MapStaffPage(BasePath, "operator console");

    /// <summary>
    /// Serves the folder wwwroot<paramref name="basePath"/> at <paramref name="basePath"/> (its index.html at the
    /// path itself and with a trailing slash) under <see cref="ContentSecurityPolicy"/>: the staff pages (the
    /// operators' console, the admins' page) are plain files that sign in with the cookie and call the API.
    /// </summary>
    internal static WebApplication MapStaffPage(this WebApplication app, string basePath, string name)
    {
        ArgumentNullException.ThrowIfNull(app);
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
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                return next(context);
            });
            // index.html at the path itself too: the page links its files by absolute path.
            page.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RedirectToAppendTrailingSlash = false });
            page.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = files,
                OnPrepareResponse = StaticPageFiles.PrepareResponse,
            });
        });
        return app;
    }
}
