namespace HotlineBot.Testing;

/// <summary>A clock the test sets and moves (compiled into each test project that needs one).</summary>
public sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    /// <summary>A fixed working-day morning, for tests that need some time but no particular one.</summary>
    public TestClock()
        : this(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;

    /// <summary>Moves to <paramref name="instant"/>; never backwards, as real time does not.</summary>
    public void AdvanceTo(DateTimeOffset instant)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(instant, _now);
        _now = instant;
    }
}
