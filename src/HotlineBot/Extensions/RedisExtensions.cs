using HotlineBot.Redis;
using HotlineBot.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HotlineBot.Extensions;

public static class RedisExtensions
{
    /// <summary>What a caller reads while the shared state is out of reach.</summary>
    public const string Unavailable = "服务暂时不可用，请稍后再试；着急的话可以拨打12351职工服务热线。";

    /// <summary>
    /// The process's one Redis connection (<see cref="HotlineRedis"/>): connected when
    /// <c>ConnectionStrings:Redis</c> is set, keys under <c>Hotline:Redis:Prefix</c>; otherwise none, and every
    /// store is the embedded one under the data directory. Safe to call from every area.
    /// </summary>
    public static IServiceCollection AddRedis(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => HotlineRedis.Connect(
            sp.GetRequiredService<IConfiguration>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<HotlineRedis>()));
        return services;
    }

    /// <summary>
    /// Registers <typeparamref name="T"/> as the Redis implementation when the hotline is scaled out and the
    /// embedded one otherwise, chosen when first resolved (configuration is complete by then).
    /// </summary>
    public static IServiceCollection AddShared<T>(this IServiceCollection services, Func<IServiceProvider, HotlineRedis, T> redis, Func<IServiceProvider, T> embedded)
        where T : class
    {
        services.AddRedis();
        services.AddSingleton(sp => sp.GetRequiredService<HotlineRedis>() is { Enabled: true } shared ? redis(sp, shared) : embedded(sp));
        return services;
    }

    /// <summary>
    /// A request that fails because Redis is out of reach (restarting, still loading) is answered 503 with a
    /// short message and Retry-After, not 500: nothing was written, and the caller may simply try again.
    /// Turns on <c>/api/messages</c> never get here: the adapter answers the worker with an apology itself.
    /// </summary>
    public static WebApplication UseRedisOutages(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RedisExtensions).FullName!);
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception e) when (RedisOutage.Is(e) && !context.Response.HasStarted)
            {
                logger.LogWarning("{Method} {Path} answered 503: Redis is out of reach ({Error})", context.Request.Method, context.Request.Path, e.Message);
                context.Response.Clear();
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = "5";
                await context.Response.WriteAsJsonAsync(new { error = "unavailable", message = Unavailable }, context.RequestAborted);
            }
        });
        return app;
    }
}
