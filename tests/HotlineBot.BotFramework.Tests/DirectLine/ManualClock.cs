namespace HotlineBot.BotFramework.Tests.DirectLine;

/// <summary>A clock that moves only when the test moves it.</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    public ManualClock()
        : this(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
