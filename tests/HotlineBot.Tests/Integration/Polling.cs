namespace HotlineBot.Tests.Integration;

/// <summary>Waiting for something a host does in the background (a post to a test listener), polling briefly, never a timed assertion.</summary>
internal static class Polling
{
    /// <summary>Reads <paramref name="items"/> every 50 ms until some match or <paramref name="timeout"/> passes; those that match (none when it gave up).</summary>
    public static async Task<IReadOnlyList<T>> MatchesAsync<T>(Func<IEnumerable<T>> items, Func<T, bool> match, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var found = items().Where(match).ToList();
            if (found.Count > 0 || DateTime.UtcNow > deadline)
            {
                return found;
            }

            await Task.Delay(50, cancellationToken);
        }
    }
}
