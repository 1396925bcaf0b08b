namespace HotlineBot.Extensions;

public static class AdminPageExtensions
{
    /// <summary>Where the admins' page is served; its files are wwwroot/admin/.</summary>
    public const string BasePath = "/admin";

    /// <summary>
    /// The admins' page (the knowledge base: entries, history, the unanswered inbox, import and export,
    /// regression questions), static files from wwwroot/admin/ at <c>/admin</c>, served as the operators'
    /// console is. It signs in with the cookie and uses the knowledge API; it holds no data itself.
    /// </summary>
    public static WebApplication MapAdminPage(this WebApplication app) => app.MapStaffPage(BasePath, "admin page");
}
