namespace HotlineBot.Cases.Tests;

/// <summary>A clock the test sets and moves.</summary>
public sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;

    /// <summary>Moves to <paramref name="instant"/>; never backwards, as real time does not.</summary>
    public void AdvanceTo(DateTimeOffset instant)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(instant, _now);
        _now = instant;
    }
}

/// <summary>Cases as the handoff dialog would open them.</summary>
public static class TestCases
{
    public static HotlineCase Draft(string conversationId = "conv-1", string? phone = "13812348000") => new()
    {
        Priority = CasePriority.High,
        Category = CaseCategory.LegalAid,
        Worker = new WorkerContact(
            "webchat",
            conversationId,
            """{"channelId":"webchat","conversation":{"id":"conv-1"},"serviceUrl":"http://localhost:3978/"}""",
            "王师傅",
            phone),
        Description = "老板拖欠三个月工资，不给结算",
    };
}
