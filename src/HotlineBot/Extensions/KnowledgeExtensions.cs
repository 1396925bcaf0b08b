using HotlineBot.Curation;
using HotlineBot.Knowledge.Loading;
using HotlineBot.Knowledge.Publishing;
using HotlineBot.Knowledge.Search;
using HotlineBot.Knowledge.SmallTalk;
using HotlineBot.Knowledge.Storage;
using Microsoft.Extensions.Options;

namespace HotlineBot.Extensions;

/// <summary>Where the host keeps its files and finds its seed content (config section <c>Hotline</c>).</summary>
public sealed class HotlineOptions
{
    public const string Section = "Hotline";

    /// <summary>Where durable files live (stores come with the bot service).</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>The seed content; by default the copy built beside the assembly.</summary>
    public string SeedsDirectory { get; set; } = Path.Combine(AppContext.BaseDirectory, "seeds");

    /// <summary>When human chat operators answer, as workers read it (fills <c>{{operatorHours}}</c> in answers).</summary>
    public string OperatorHours { get; set; } = "工作日（周一至周五，法定节假日除外）9:00–17:30";

    /// <summary>The values answers' placeholders are filled with.</summary>
    public IReadOnlyDictionary<string, string> AnswerValues() => new Dictionary<string, string>
    {
        ["operatorHours"] = OperatorHours,
    };
}

public static class KnowledgeExtensions
{
    /// <summary>The knowledge store's file under the data directory (entries, their versions, the regression questions).</summary>
    public const string StoreFileName = "knowledge.db";

    /// <summary>
    /// Adds the policy knowledge base: the versioned store (seeded from seeds/ when empty; knowledge.db, or
    /// Redis when scaled out), search kept in step with it by change notices (in process, or Redis pub/sub), the admins' editor with its publishing guard, the review
    /// reminders, and small talk.
    /// </summary>
    public static IServiceCollection AddKnowledge(this IServiceCollection services)
    {
        services.AddOptions<HotlineOptions>().BindConfiguration(HotlineOptions.Section).ValidateOnStart();
        services.AddOptions<SearchOptions>().BindConfiguration(SearchOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => SeedLoader.Load(Hotline(sp).SeedsDirectory));
        services.AddShared<IKnowledgeStore>((_, redis) => new RedisKnowledgeStore(redis.Connection, redis.Keys), sp => new SqliteKnowledgeStore(StoreFile(sp)));
        services.AddShared<IRegressionCaseStore>((_, redis) => new RedisRegressionCaseStore(redis.Connection, redis.Keys), sp => new SqliteRegressionCaseStore(StoreFile(sp)));
        services.AddShared<IKnowledgeNotices>(
            (sp, redis) => new RedisKnowledgeNotices(redis.Connection, redis.Keys, sp.GetRequiredService<ILogger<RedisKnowledgeNotices>>()),
            _ => new InProcessKnowledgeNotices());
        services.AddSingleton(sp => new KnowledgeBase(
            sp.GetRequiredService<SeedSet>(),
            Hotline(sp).SeedsDirectory,
            sp.GetRequiredService<IKnowledgeStore>(),
            sp.GetRequiredService<IRegressionCaseStore>(),
            sp.GetRequiredService<IKnowledgeNotices>(),
            sp.GetRequiredService<IOptions<SearchOptions>>().Value,
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddHostedService<KnowledgeBaseLoader>();
        services.AddSingleton(sp => sp.GetRequiredService<KnowledgeBase>().Search);
        services.AddSingleton<IPolicySearch>(sp => sp.GetRequiredService<PolicySearch>());
        services.AddSingleton<PublishingGuard>();
        services.AddSingleton<KnowledgeEditor>();
        services.AddSingleton<KnowledgeClock>();
        services.AddSingleton(sp => new SmallTalkMatcher(sp.GetRequiredService<SeedSet>().SmallTalk));
        services.AddTransient<ReviewReminderJob>();
        services.AddHostedService<ReviewReminderSchedule>();
        return services;
    }

    /// <summary>The admins' knowledge API under /api/knowledge, with import and export.</summary>
    public static WebApplication MapKnowledge(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapKnowledgeApi();
        app.MapKnowledgeExchangeApi();
        return app;
    }

    private static HotlineOptions Hotline(IServiceProvider services) => services.GetRequiredService<IOptions<HotlineOptions>>().Value;

    private static string StoreFile(IServiceProvider services) => Path.Combine(Path.GetFullPath(Hotline(services).DataDirectory), StoreFileName);
}
