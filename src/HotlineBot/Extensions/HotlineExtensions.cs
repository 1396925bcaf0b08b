namespace HotlineBot.Extensions;

public static class HotlineExtensions
{
    /// <summary>Everything the hotline service needs, area by area.</summary>
    public static WebApplicationBuilder AddHotline(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddKnowledge();
        builder.Services.AddBot();
        return builder;
    }

    public static WebApplication MapHotline(this WebApplication app) => app.MapBot();
}
