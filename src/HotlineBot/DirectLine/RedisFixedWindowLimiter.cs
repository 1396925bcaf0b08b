using System.Diagnostics;
using System.Globalization;
using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace HotlineBot.DirectLine;

/// <summary>
/// A fixed window whose count lives in the shared Redis, so that scaled-out instances enforce one limit
/// together: a client cannot get N times the limit by reaching N instances. The count of each window is
/// its own key (<c>{key}:{window number}</c>, the number counted from the Unix epoch), so a window is a
/// real span of the clock, the same on every instance; the key expires when its window ends. One Lua
/// script per acquire counts and returns the count and the time left, so a request costs one round trip.
/// <para>
/// <see cref="RateLimiter.AttemptAcquire"/> never decides: it would have to block a thread on Redis. It
/// answers "not acquired" at once without counting, and ASP.NET Core's rate limiting middleware, which
/// tries <c>AttemptAcquire</c> first, then calls <see cref="RateLimiter.AcquireAsync"/>, which counts.
/// When Redis cannot be reached the acquire throws (the host answers 503): the limit never fails open.
/// </para>
/// </summary>
public sealed class RedisFixedWindowLimiter : RateLimiter
{
    /// <summary>KEYS[1]: the window's count; ARGV[1]: permits; ARGV[2]: ms to the window's end. Returns the count and its time to live (ms).</summary>
    private const string AcquireScript = """
        local count = redis.call('INCRBY', KEYS[1], ARGV[1])
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl < 0 then
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            ttl = tonumber(ARGV[2])
        end
        return {count, ttl}
        """;

    private static readonly RateLimitLease Acquired = new Lease(true, null);

    /// <summary>What <c>AttemptAcquire</c> answers: undecided, so the caller goes on to <c>AcquireAsync</c>.</summary>
    private static readonly RateLimitLease Undecided = new Lease(false, null);

    private readonly IDatabase _database;
    private readonly string _key;
    private readonly int _permitLimit;
    private readonly long _windowMilliseconds;
    private long _lastUsed = Stopwatch.GetTimestamp();

    /// <param name="database">The shared Redis.</param>
    /// <param name="key">The client's key, prefixed; the window number is appended.</param>
    /// <param name="permitLimit">Permits per window.</param>
    /// <param name="window">The window's length (whole milliseconds, at least one).</param>
    public RedisFixedWindowLimiter(IDatabase database, string key, int permitLimit, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(permitLimit);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.FromMilliseconds(1));
        _database = database;
        _key = key;
        _permitLimit = permitLimit;
        _windowMilliseconds = (long)window.TotalMilliseconds;
    }

    /// <summary>Since the last acquire: the state is in Redis, so an idle limiter may be dropped and made again at no cost.</summary>
    public override TimeSpan? IdleDuration => Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastUsed));

    /// <summary>None: the count is in Redis, and reading it would cost a round trip.</summary>
    public override RateLimiterStatistics? GetStatistics() => null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        CheckPermitCount(permitCount);
        return Undecided;
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        CheckPermitCount(permitCount);
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Exchange(ref _lastUsed, Stopwatch.GetTimestamp());
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var window = now / _windowMilliseconds;
        var untilEnd = Math.Max(1, ((window + 1) * _windowMilliseconds) - now);
        var result = (RedisResult[])(await _database.ScriptEvaluateAsync(
            AcquireScript,
            [_key + ":" + window.ToString(CultureInfo.InvariantCulture)],
            [permitCount, untilEnd]).ConfigureAwait(false))!;
        var count = (long)result[0];
        // Zero permits asks whether one is left; otherwise the permits just counted must fit.
        if (permitCount == 0 ? count < _permitLimit : count <= _permitLimit)
        {
            return Acquired;
        }

        return new Lease(false, TimeSpan.FromMilliseconds(Math.Max(1, (long)result[1])));
    }

    private void CheckPermitCount(int permitCount) =>
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, _permitLimit);

    /// <summary>Nothing to give back at the end (a fixed window counts starts); a refusal says when the window ends.</summary>
    private sealed class Lease(bool isAcquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => isAcquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is { } value && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = value;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}
