using HotlineBot.BotFramework.Authentication;
using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Connector;
using HotlineBot.BotFramework.Integration;
using HotlineBot.BotFramework.State;
using HotlineBot.Dialogs;
using HotlineBot.Dialogs.Emergency;
using HotlineBot.Dialogs.Replies;
using HotlineBot.Dialogs.TurnLogging;
using HotlineBot.Knowledge.Search;
using HotlineBot.Redis;
using HotlineBot.Storage;
using HotlineBot.Turns;
using Microsoft.Extensions.Options;

namespace HotlineBot.Extensions;

public static class BotExtensions
{
    /// <summary>Adds the Bot Framework endpoint and the worker's conversation, with its stores under the data directory.</summary>
    public static IServiceCollection AddBot(this IServiceCollection services)
    {
        services.AddBotFrameworkAuthentication();
        services.AddHttpClient<IConnectorClient, ConnectorClient>(http => http.Timeout = TimeSpan.FromSeconds(15));
        services.AddShared<IStorage>((_, redis) => new RedisStorage(redis.Connection, redis.Keys), sp => new SqliteStorage(DataFile(sp, "state.db")));
        services.AddSingleton<ConversationReferences>();
        services.AddSingleton<ConversationReferenceMiddleware>();
        services.AddShared<IConversationLocks>(
            (sp, redis) => new RedisConversationLocks(redis.Connection, redis.Keys, sp.GetRequiredService<ILogger<RedisConversationLocks>>()),
            _ => new InProcessConversationLocks());
        services.AddSingleton<TurnLoggingMiddleware>();
        services.AddShared<ITranscriptStore>(
            (_, redis) => new RedisTranscriptStore(redis.Connection, redis.Keys),
            sp => new SqliteTranscriptStore(DataFile(sp, "transcripts.db"), sp.GetRequiredService<ILogger<SqliteTranscriptStore>>()));
        services.AddSingleton<ITranscriptLogger>(sp => sp.GetRequiredService<ITranscriptStore>());
        services.AddSingleton(CreateAdapter);
        services.AddSingleton<IBotFrameworkHttpAdapter>(sp => sp.GetRequiredService<BotFrameworkHttpAdapter>());

        services.AddOptions<HotlineBotOptions>().BindConfiguration(HotlineBotOptions.Section);
        services.AddSingleton(sp => EmergencyDetector.Load(Path.Combine(Hotline(sp).SeedsDirectory, EmergencyDetector.FileName)));
        services.AddSingleton(sp => new HotlineReplies(Hotline(sp).AnswerValues()));
        services.AddSingleton(sp => new SqliteTurnLog(DataFile(sp, "turns.db"), sp.GetRequiredService<ILogger<SqliteTurnLog>>()));
        services.AddShared<ITurnRecords>((sp, redis) => new RedisTurnLog(redis.Connection, redis.Keys, sp.GetRequiredService<ILogger<RedisTurnLog>>()), sp => sp.GetRequiredService<SqliteTurnLog>());
        services.AddSingleton<ITurnLog>(sp => sp.GetRequiredService<ITurnRecords>());
        services.AddHostedService<TurnLogsShutdown>();
        // The worker's dialog stack, per conversation, in the same state store; the bot saves it at the end of each turn.
        services.AddSingleton(sp => new ConversationState(sp.GetRequiredService<IStorage>()));
        services.AddSingleton<IBot, Dialogs.HotlineBot>();
        return services;
    }

    /// <summary>POST /api/messages (the Bot Framework endpoint) and GET /healthz (503 while no answers are loaded or the state store is out of reach).</summary>
    public static WebApplication MapBot(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/api/messages", (HttpContext http, IBotFrameworkHttpAdapter adapter, IBot bot) =>
            adapter.ProcessAsync(http.Request, http.Response, bot, http.RequestAborted));
        app.MapGet("/healthz", async (IPolicySearch search, IStorage storage, CancellationToken cancellationToken) =>
        {
            if (search.Count == 0)
            {
                return Results.Json(new { status = "no published policy answers" }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            try
            {
                await storage.ReadAsync(["health/probe"], cancellationToken);
            }
            catch (Exception e) when (RedisOutage.Is(e) || e is Microsoft.Data.Sqlite.SqliteException)
            {
                return Results.Json(new { status = "state store unreachable" }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            return Results.Json(new { status = "ok", answers = search.Count });
        });
        return app;
    }

    private static BotFrameworkHttpAdapter CreateAdapter(IServiceProvider services)
    {
        var adapter = ActivatorUtilities.CreateInstance<BotFrameworkHttpAdapter>(services);
        adapter.Use(services.GetRequiredService<TurnLoggingMiddleware>());
        adapter.Use(new TranscriptLoggerMiddleware(services.GetRequiredService<ITranscriptLogger>()));
        adapter.Use(services.GetRequiredService<ConversationReferenceMiddleware>());
        adapter.Use(new ShowTypingMiddleware());
        // Innermost, around the bot: the turn's state is read and written under its conversation's lock.
        adapter.Use(new ConversationLockMiddleware(services.GetRequiredService<IConversationLocks>()));
        adapter.OnTurnError = async (turnContext, _) =>
        {
            // The failure itself is logged by the adapter; the worker is not left without an answer.
            var apology = HotlineReplies.Create(new HotlineMetadata(ReplyKinds.Fallback), "抱歉，系统刚才出了点问题，请稍后再试；着急的话可以拨打12351职工服务热线。");
            await turnContext.SendActivityAsync(apology);
        };
        return adapter;
    }

    private static HotlineOptions Hotline(IServiceProvider services) => services.GetRequiredService<IOptions<HotlineOptions>>().Value;

    private static string DataFile(IServiceProvider services, string name) => Path.Combine(Path.GetFullPath(Hotline(services).DataDirectory), name);
}
