using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace HotlineBot.Extensions;

public static class ChatPageExtensions
{
    /// <summary>Where the page's own files (wwwroot/chat/) and Web Chat (wwwroot/chat/lib/, from npm at build) are served.</summary>
    public const string AssetsPath = "/chat";

    /// <summary>The page itself, served at <c>/</c> only.</summary>
    public const string PageFile = "index.html";

    private const string LibPath = "/chat/lib";

    /// <summary>
    /// The hash of an empty &lt;style&gt; element: all the inline style the page needs. Web Chat's CSS-in-JS
    /// (emotion, in its production mode) inserts empty &lt;style&gt; elements and fills them through the CSSOM
    /// (insertRule), which a policy does not govern; a policy only sees the element's text, and that is empty.
    /// A nonce would do for Web Chat's own element, but not for the scroller it embeds (react-scroll-to-bottom),
    /// which never gets it; the hash covers both, and admits no style written in markup.
    /// </summary>
    public const string EmptyStyleHash = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='";

    /// <summary>Encodings the build writes beside each script of the bundle (copy-lib.mjs), best first.</summary>
    private static readonly (string Name, string Extension)[] Precompressed = [("br", ".br"), ("gzip", ".gz")];

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>
    /// Only our own files and our own service: every script is a file of ours (none inline, no eval); styles are
    /// our stylesheet and the empty elements Web Chat fills (<see cref="EmptyStyleHash"/>). The stream is a
    /// WebSocket to this same host, listed beside 'self', which older browsers do not apply to ws:/wss:. Web
    /// Chat draws its typing indicator from blob: images it makes itself. Never framed, no forms posted away.
    /// </summary>
    public static string ContentSecurityPolicy(HostString host)
    {
        var sockets = host.HasValue ? $" ws://{host.ToUriComponent()} wss://{host.ToUriComponent()}" : "";
        return $"default-src 'self'; script-src 'self'; style-src 'self' {EmptyStyleHash}; connect-src 'self'{sockets}; img-src 'self' blob:; "
            + "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    /// <summary>
    /// The workers' chat page at <c>/</c> (wwwroot/index.html) and its files at <c>/chat</c> (the page's script
    /// and styles; Web Chat and React under <c>/chat/lib</c>, sent brotli- or gzip-compressed when the browser
    /// accepts it), all under a strict Content-Security-Policy. The page talks to the service's own Direct Line
    /// (<c>/api/chat/token</c>, <c>/v3/directline</c>).
    /// </summary>
    public static WebApplication MapChatPage(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // The content root's wwwroot: the build output's copy under `dotnet run`, the project's under the test host.
        var files = app.Environment.WebRootFileProvider;
        if (!files.GetFileInfo(PageFile).Exists || !files.GetFileInfo(LibPath + "/webchat.js").Exists)
        {
            app.Logger.LogWarning("The chat page's files are missing (wwwroot/{Page} and wwwroot{Lib}/webchat.js under {ContentRoot}; the build copies Web Chat there from npm); / will not work.", PageFile, LibPath, app.Environment.ContentRootPath);
        }

        app.UseWhen(context => IsPage(context.Request.Path) || context.Request.Path.StartsWithSegments(AssetsPath), chat =>
        {
            chat.Use((context, next) =>
            {
                SetHeaders(context.Response, ContentSecurityPolicy(context.Request.Host));
                if (IsPage(context.Request.Path))
                {
                    // The page's file is reachable here only, never as /index.html.
                    context.Request.Path = "/" + PageFile;
                }

                return ChooseEncoding(context, files) ? next(context) : NotFound(context);
            });
            chat.UseStaticFiles(new StaticFileOptions
            {
                // Only / and /chat/... come here, so only the page and wwwroot/chat are served.
                FileProvider = files,
                ContentTypeProvider = new PrecompressedContentTypes(),
                OnPrepareResponse = StaticPageFiles.PrepareResponse,
            });
        });
        return app;
    }

    private static bool IsPage(PathString path) => path == "/";

    private static void SetHeaders(HttpResponse response, string policy)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
    }

    /// <summary>
    /// For a script of the bundle, points the request at its brotli or gzip copy when the browser accepts that
    /// encoding and the copy is there. False for a request naming a copy itself, which is never served bare.
    /// </summary>
    private static bool ChooseEncoding(HttpContext context, IFileProvider files)
    {
        var path = context.Request.Path.Value ?? "";
        if (Precompressed.Any(e => path.EndsWith(e.Extension, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        if (!context.Request.Path.StartsWithSegments(LibPath))
        {
            return true;
        }

        if (!path.EndsWith(".js", StringComparison.Ordinal) || !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
        {
            return true;
        }

        context.Response.Headers.Vary = "Accept-Encoding";
        var accepted = context.Request.GetTypedHeaders().AcceptEncoding;
        foreach (var (name, extension) in Precompressed)
        {
            if (accepted.Any(a => a.Value.Equals(name, StringComparison.OrdinalIgnoreCase) && (a.Quality ?? 1) > 0)
                && files.GetFileInfo(path + extension).Exists)
            {
                context.Request.Path = path + extension;
                context.Response.Headers.ContentEncoding = name;
                break;
            }
        }

        return true;
    }

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    /// <summary>A compressed copy has the type of the file it compresses (webchat.js.br is JavaScript).</summary>
    private sealed class PrecompressedContentTypes : IContentTypeProvider
    {
        public bool TryGetContentType(string subpath, out string contentType)
        {
            foreach (var (_, extension) in Precompressed)
            {
                if (subpath.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
                {
                    return ContentTypes.TryGetContentType(subpath[..^extension.Length], out contentType!);
                }
            }

            return ContentTypes.TryGetContentType(subpath, out contentType!);
        }
    }
}
