namespace HotlineBot.Extensions;

public static class HotlineExtensions
{
    /// <summary>Everything the hotline service needs, area by area.</summary>
    public static WebApplicationBuilder AddHotline(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddKnowledge();
        builder.Services.AddCases();
        builder.Services.AddBot();
        builder.Services.AddAccounts();
        return builder;
    }

    public static WebApplication MapHotline(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapOperatorConsole();
        app.UseAuthentication();
        app.UseAuthorization();
        return app.MapAccounts().MapCases().MapBot();
    }
}
