using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Integration;
using HotlineBot.Curation;
using HotlineBot.Dialogs.Replies;
using HotlineBot.Knowledge.Loading;
using HotlineBot.Knowledge.Search;
using HotlineBot.Knowledge.Text;
using HotlineBot.Knowledge.Unanswered;
using HotlineBot.Turns;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HotlineBot.Extensions;

public static class UnansweredExtensions
{
    /// <summary>
    /// The admins' unanswered inbox: the grouper (the seeds' text analysis, terms weighted by the
    /// published entries' phrasings), its resolutions and sent answers (beside the turn records embedded,
    /// in the shared Redis when scaled out, like the turns), and the inbox that reads, resolves and notifies.
    /// </summary>
    public static IServiceCollection AddUnanswered(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new UnansweredGrouper(
            new TextAnalyzer(sp.GetRequiredService<SeedSet>().Language),
            sp.GetRequiredService<PolicySearch>().Entries.SelectMany(e => e.Phrasings())));
        services.AddShared<IUnansweredStore>(
            (_, redis) => new RedisUnansweredStore(redis.Connection, redis.Keys),
            sp => new SqliteUnansweredStore(sp.GetRequiredService<SqliteTurnLog>().FilePath));
        services.AddSingleton(sp => new UnansweredInbox(
            sp.GetRequiredService<ITurnRecords>(),
            sp.GetRequiredService<IUnansweredStore>(),
            sp.GetRequiredService<UnansweredGrouper>(),
            sp.GetRequiredService<IPolicySearch>(),
            sp.GetRequiredService<HotlineReplies>(),
            sp.GetRequiredService<ConversationReferences>(),
            sp.GetRequiredService<BotFrameworkHttpAdapter>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<UnansweredInbox>>()));
        return services;
    }

    /// <summary>The inbox's endpoints under /api/knowledge/unanswered (admins only).</summary>
    public static WebApplication MapUnanswered(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapUnansweredApi();
        return app;
    }
}
