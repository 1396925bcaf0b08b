namespace HotlineBot.Extensions;

public static class HotlineExtensions
{
    /// <summary>Everything the hotline service needs, area by area.</summary>
    public static WebApplicationBuilder AddHotline(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddKnowledge();
        builder.Services.AddCases();
        builder.Services.AddAlerts();
        builder.Services.AddBot();
        builder.Services.AddAccounts();
        builder.Services.AddDirectLine();
        builder.Services.AddWeChat();
        builder.Services.AddUnanswered();
        return builder;
    }

    public static WebApplication MapHotline(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseRedisOutages();
        app.MapOperatorConsole();
        app.MapAdminPage();
        app.MapChatPage();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapUnanswered();
        app.MapDirectLine();
        app.MapWeChat();
        return app.MapAccounts().MapCases().MapKnowledge().MapBot();
    }
}
