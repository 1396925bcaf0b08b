using StackExchange.Redis;

namespace HotlineBot.Redis;

/// <summary>
/// Tells a Redis that is out of reach for a while (down, restarting, still replaying its append-only file)
/// from a real fault: the first is answered with "try again shortly" and heals by itself, the second is a bug.
/// </summary>
public static class RedisOutage
{
    /// <summary>True when <paramref name="exception"/>, or one it wraps, says Redis cannot be reached or is not ready yet.</summary>
    public static bool Is(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case RedisConnectionException or RedisTimeoutException:
                    return true;
                case RedisServerException server when IsTransient(server.Message):
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(Is):
                    return true;
            }
        }

        return false;
    }

    // LOADING: a restarted server replays its data; BUSY: a script runs long; TRYAGAIN/MASTERDOWN: a replica or cluster moving.
    private static bool IsTransient(string message) =>
        message.StartsWith("LOADING", StringComparison.Ordinal)
        || message.StartsWith("BUSY", StringComparison.Ordinal)
        || message.StartsWith("TRYAGAIN", StringComparison.Ordinal)
        || message.StartsWith("MASTERDOWN", StringComparison.Ordinal);
}
