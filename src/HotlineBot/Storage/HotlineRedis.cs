using HotlineBot.Redis;
using StackExchange.Redis;

namespace HotlineBot.Storage;

/// <summary>Where the shared Redis is, when the hotline is scaled out (config section <c>Hotline:Redis</c> beside <c>ConnectionStrings:Redis</c>).</summary>
public sealed class RedisOptions
{
    public const string Section = "Hotline:Redis";

    /// <summary>The name of the connection string that turns Redis on.</summary>
    public const string ConnectionStringName = "Redis";

    /// <summary>Prefix of every key (and pub/sub channel) this hotline writes, so several hotlines can share one Redis.</summary>
    public string Prefix { get; set; } = RedisKeys.DefaultPrefix;
}

/// <summary>
/// The process's one connection to the shared Redis, or none (the embedded default). Every store of a
/// scaled-out instance takes its connection and keys from here.
/// </summary>
public sealed class HotlineRedis : IDisposable
{
    private readonly ConnectionMultiplexer? _connection;

    private HotlineRedis(ConnectionMultiplexer? connection, RedisKeys keys)
    {
        _connection = connection;
        Keys = keys;
    }

    /// <summary>False for the embedded default (no <c>ConnectionStrings:Redis</c>).</summary>
    public bool Enabled => _connection is not null;

    public RedisKeys Keys { get; }

    /// <summary>The shared connection; only when <see cref="Enabled"/>.</summary>
    public IConnectionMultiplexer Connection => _connection ?? throw new InvalidOperationException("Redis is not configured (ConnectionStrings:Redis).");

    /// <summary>
    /// Connects when <c>ConnectionStrings:Redis</c> is set. The first connection must succeed (an instance that
    /// cannot reach its shared state at start should say so and stop); after that the connection comes back by
    /// itself. While it is down, commands fail at once instead of queueing, so a worker gets an apology in
    /// milliseconds rather than after a time-out.
    /// </summary>
    public static HotlineRedis Connect(IConfiguration configuration, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(logger);
        var options = configuration.GetSection(RedisOptions.Section).Get<RedisOptions>() ?? new RedisOptions();
        var keys = new RedisKeys(options.Prefix);
        if (configuration.GetConnectionString(RedisOptions.ConnectionStringName) is not { Length: > 0 } connectionString)
        {
            return new HotlineRedis(null, keys);
        }

        var redis = ConfigurationOptions.Parse(connectionString);
        redis.AbortOnConnectFail = true;
        redis.BacklogPolicy = BacklogPolicy.FailFast;
        redis.ClientName ??= "hotlinebot";
        try
        {
            var connection = ConnectionMultiplexer.Connect(redis);
            logger.LogInformation("Shared state in Redis at {Endpoints}, keys under {Prefix}", string.Join(", ", redis.EndPoints), keys.Prefix);
            return new HotlineRedis(connection, keys);
        }
        catch (RedisConnectionException e)
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:Redis is set but Redis at {string.Join(", ", redis.EndPoints)} cannot be reached ({e.FailureType}). Start Redis, or unset the connection string for the embedded stores.", e);
        }
    }

    public void Dispose() => _connection?.Dispose();
}
