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
