using System.ComponentModel.DataAnnotations;

namespace HotlineBot.Cases.Scheduling;

/// <summary>
/// Follow-up delays and deadlines, bound from <c>Hotline:FollowUp</c> (TimeSpans as <c>d.hh:mm:ss</c>).
/// </summary>
public sealed class FollowUpOptions : IValidatableObject
{
    public const string SectionName = "Hotline:FollowUp";

    /// <summary>First-response deadlines by priority (<c>Hotline:FollowUp:FirstResponse</c>).</summary>
    public FirstResponseOptions FirstResponse { get; set; } = new();

    /// <summary>How long before a first-response deadline operators are reminded (never before the case opened).</summary>
    public TimeSpan ReminderLeadTime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Wall-clock delay between resolution and the satisfaction question (回访).</summary>
    public TimeSpan SurveyDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Wall-clock time a case waiting for the worker stays open before it closes with a notice.</summary>
    public TimeSpan AutoCloseWaitingForWorker { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Wall-clock time a resolved case waits for the survey's score before it closes without one.</summary>
    public TimeSpan SurveyAnswerWindow { get; set; } = TimeSpan.FromDays(3);

    /// <summary>
    /// Waits between attempts to deliver a message into the worker's chat; one attempt more than there
    /// are waits, then the delivery is marked failed for the operator. Empty: <see cref="DefaultDeliveryRetryDelays"/>.
    /// (Configured arrays add to a non-empty default instead of replacing it, hence the empty default.)
    /// </summary>
    public IList<TimeSpan> DeliveryRetryDelays { get; } = [];

    public static IReadOnlyList<TimeSpan> DefaultDeliveryRetryDelays { get; } =
        [TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30)];

    /// <summary>
    /// How long an attempt to deliver holds its message before another job may try it: longer than a send
    /// can take (the connector's time-out), so a duplicate job does not send it again while it is on its way.
    /// (A crash between sending and recording the outcome can still repeat it once: delivery is at least once.)
    /// </summary>
    public TimeSpan DeliveryLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the job server looks for follow-ups that became due (Hangfire's schedule poll).</summary>
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The waits in force.</summary>
    public IReadOnlyList<TimeSpan> RetryDelays => DeliveryRetryDelays.Count > 0 ? [.. DeliveryRetryDelays] : DefaultDeliveryRetryDelays;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var first = FirstResponse;
        if (first is null)
        {
            yield return new ValidationResult("Hotline:FollowUp:FirstResponse is missing.", [nameof(FirstResponse)]);
            yield break;
        }

        foreach (var (name, value) in new[]
        {
            ("FirstResponse:Urgent", first.Urgent),
            ("FirstResponse:High", first.High),
            (nameof(SurveyDelay), SurveyDelay),
            (nameof(AutoCloseWaitingForWorker), AutoCloseWaitingForWorker),
            (nameof(SurveyAnswerWindow), SurveyAnswerWindow),
            (nameof(SchedulePollingInterval), SchedulePollingInterval),
            (nameof(DeliveryLease), DeliveryLease),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                yield return new ValidationResult($"Hotline:FollowUp:{name} must be positive (was {value}).", [name]);
            }
        }

        if (ReminderLeadTime < TimeSpan.Zero)
        {
            yield return new ValidationResult($"Hotline:FollowUp:ReminderLeadTime cannot be negative (was {ReminderLeadTime}).", [nameof(ReminderLeadTime)]);
        }

        if (DeliveryRetryDelays.Any(d => d <= TimeSpan.Zero))
        {
            yield return new ValidationResult("Hotline:FollowUp:DeliveryRetryDelays must all be positive.", [nameof(DeliveryRetryDelays)]);
        }

        if (first.NormalWorkingDays is < 1 or > 30)
        {
            yield return new ValidationResult(
                $"Hotline:FollowUp:FirstResponse:NormalWorkingDays must be 1 to 30 (was {first.NormalWorkingDays}).",
                ["FirstResponse:NormalWorkingDays"]);
        }
    }
}

/// <summary>
/// First-response deadlines. Urgent is wall-clock time (the 12351 phone line is staffed 24/7 and
/// emergencies cannot wait for office hours); High is <em>working</em> time (chat operators only);
/// Normal is a count of working days on the <see cref="WorkingCalendar"/>.
/// </summary>
public sealed class FirstResponseOptions
{
    /// <summary>Wall-clock time; default 15 minutes.</summary>
    public TimeSpan Urgent { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Operators' working time; default 2 hours.</summary>
    public TimeSpan High { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Working days; default 1 ("1 working day"). See <see cref="WorkingCalendar.AddWorkingDays"/>.</summary>
    [Range(1, 30)]
    public int NormalWorkingDays { get; set; } = 1;
}
