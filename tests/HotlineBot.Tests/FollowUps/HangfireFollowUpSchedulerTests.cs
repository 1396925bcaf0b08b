using Hangfire;
using Hangfire.InMemory;
using HotlineBot.Cases.FollowUps;
using HotlineBot.FollowUps;
using HotlineBot.Redis;

namespace HotlineBot.Tests.FollowUps;

/// <summary>
/// Scaled out, a follow-up is one job in the shared storage however many instances schedule it (each case
/// write schedules every planned follow-up again; every instance rehydrates at start). Real Hangfire storage,
/// real Redis for the marks; two schedulers stand for two instances.
/// </summary>
public sealed class HangfireFollowUpSchedulerTests(RedisServer redis) : IDisposable
{
    private readonly InMemoryStorage _storage = new(new InMemoryStorageOptions { IdType = InMemoryStorageIdType.Long });
    private readonly RedisKeys _keys = new(RedisServer.NewPrefix());
    private readonly TestClock _clock = new(DateTimeOffset.UtcNow);

    public void Dispose() => _storage.Dispose();

    [Fact]
    public void SameFollowUp_FromTwoInstances_IsOneJob_ButANewDueTimeIsAnother()
    {
        var (a, b) = (Instance(), Instance());
        var reminder = new PlannedFollowUp("12351-20261130-0001", FollowUpKind.RemindDeadline, _clock.GetUtcNow().AddHours(1), "deadline");

        a.Schedule(reminder);
        b.Schedule(reminder);
        a.Schedule(reminder with { Due = reminder.Due.AddMinutes(30) });

        Assert.Equal(2, _storage.GetMonitoringApi().ScheduledCount());
    }

    [Fact]
    public void DueDelivery_IsEnqueuedOnce_AndAJobThatRanEarly_PutsItselfBack()
    {
        var (a, b) = (Instance(), Instance());
        var now = _clock.GetUtcNow();
        var early = new PlannedFollowUp("12351-20261130-0002", FollowUpKind.Escalate, now.AddMinutes(10), "deadline");

        a.ScheduleDelivery("12351-20261130-0002", "d1", now);
        b.ScheduleDelivery("12351-20261130-0002", "d1", now);
        a.Schedule(early);
        ((IFollowUpScheduler)b).Reschedule(early);

        var monitoring = _storage.GetMonitoringApi();
        Assert.Equal(1, monitoring.EnqueuedCount("default"));
        Assert.Equal(2, monitoring.ScheduledCount());
    }

    [Fact]
    public void WithoutMarks_TheEmbeddedDefault_SchedulesEveryTime()
    {
        var embedded = new HangfireFollowUpScheduler(new BackgroundJobClient(_storage), _clock);
        var reminder = new PlannedFollowUp("12351-20261130-0003", FollowUpKind.RemindDeadline, _clock.GetUtcNow().AddHours(1), "deadline");

        embedded.Schedule(reminder);
        embedded.Schedule(reminder);

        Assert.Equal(2, _storage.GetMonitoringApi().ScheduledCount());
    }

    private HangfireFollowUpScheduler Instance() =>
        new(new BackgroundJobClient(_storage), _clock, new ScheduledFollowUps(redis.Connection, _keys, _clock));
}
