using System.Globalization;

namespace HotlineBot.Cases.Storage;

/// <summary>
/// A case being created, as every <see cref="ICaseStore"/> numbers and dates it: the day it is filed
/// under (in the hotline's time zone), its document once the store has taken that day's next number,
/// and the draft brought up to date once it is written.
/// </summary>
internal sealed class CaseCreation
{
    private readonly HotlineCase _draft;
    private readonly DateTimeOffset _now;

    private CaseCreation(HotlineCase draft, DateTimeOffset now, TimeZoneInfo timeZone)
    {
        _draft = draft;
        _now = now;
        CreatedAt = draft.CreatedAt == default ? now : draft.CreatedAt;
        Day = CaseIds.DayOf(CreatedAt, timeZone);
    }

    public DateTimeOffset CreatedAt { get; }

    public DateOnly Day { get; }

    /// <summary>The day as stores key their counters: <c>yyyyMMdd</c>.</summary>
    public string DayKey => Day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static CaseCreation Start(HotlineCase draft, TimeProvider time, TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return new CaseCreation(draft, time.GetUtcNow(), timeZone);
    }

    /// <summary>The document to write under the day's <paramref name="number"/>.</summary>
    public CaseDocument Document(long number) =>
        CaseDocument.From(_draft) with { Id = CaseIds.Format(Day, number), CreatedAt = CreatedAt, UpdatedAt = _now };

    /// <summary>The draft as stored, once <paramref name="document"/> is written.</summary>
    public HotlineCase Complete(CaseDocument document)
    {
        _draft.Id = document.Id;
        _draft.CreatedAt = CreatedAt;
        _draft.UpdatedAt = _now;
        _draft.Version = 1;
        return _draft;
    }
}

/// <summary>A versioned update of a case, as every <see cref="ICaseStore"/> applies it.</summary>
internal sealed class CaseUpdate
{
    private readonly HotlineCase _case;
    private readonly DateTimeOffset _now;

    private CaseUpdate(HotlineCase hotlineCase, DateTimeOffset now)
    {
        _case = hotlineCase;
        _now = now;
        Document = CaseDocument.From(hotlineCase) with { UpdatedAt = now };
    }

    public CaseDocument Document { get; }

    /// <summary>The version the store must still hold.</summary>
    public long ExpectedVersion => _case.Version;

    public static CaseUpdate Start(HotlineCase hotlineCase, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(hotlineCase);
        ArgumentException.ThrowIfNullOrEmpty(hotlineCase.Id, nameof(hotlineCase));
        return new CaseUpdate(hotlineCase, time.GetUtcNow());
    }

    /// <summary>Why the write did not happen: the case is gone (<paramref name="storedVersion"/> null) or changed.</summary>
    public Exception Refused(long? storedVersion) => storedVersion is null
        ? new CaseNotFoundException(_case.Id)
        : new CaseConcurrencyException(_case.Id, _case.Version, storedVersion);

    /// <summary>The case as stored, once the write is done.</summary>
    public HotlineCase Complete()
    {
        _case.Version++;
        _case.UpdatedAt = _now;
        return _case;
    }
}

/// <summary>Which cases <see cref="ICaseStore.ListUnfinishedAsync"/> returns, for stores that keep that set as an index.</summary>
internal static class CaseProgress
{
    /// <summary>A message still to deliver: a closed case with one stays unfinished until it is out.</summary>
    public static bool HasPendingDelivery(CaseDocument document) =>
        document.Deliveries?.Any(d => d.State == DeliveryState.Pending) == true;

    public static bool IsUnfinished(CaseDocument document) =>
        CaseStatuses.IsOpen(document.Status) || HasPendingDelivery(document);
}
