namespace HotlineBot.Extensions;

public static class OperatorConsoleExtensions
{
    /// <summary>Where the console is served; its files are wwwroot/operator/.</summary>
    public const string BasePath = "/operator";

    /// <summary>
    /// The operators' console, static files from wwwroot/operator/ at <c>/operator</c> (index.html at
    /// <c>/operator</c> and <c>/operator/</c>) with the staff pages' shared files, under a strict
    /// Content-Security-Policy. It signs in with the cookie (<c>POST /api/auth/login</c>) and uses the case API;
    /// it holds no data itself.
    /// </summary>
    public static WebApplication MapOperatorConsole(this WebApplication app) => app.MapStaffPage(BasePath, "operator console");
}
