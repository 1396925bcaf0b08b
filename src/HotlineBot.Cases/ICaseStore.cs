namespace HotlineBot.Cases;

/// <summary>
/// Where cases live. Every implementation passes the same contract suite
/// (<c>CaseStoreContractTests</c>). Methods that write change the given case in place (id, version,
/// timestamps) and return it, so the caller holds what is stored.
/// </summary>
public interface ICaseStore
{
    /// <summary>
    /// Assigns the next id of the case's day (<see cref="HotlineCase.CreatedAt"/>, or now when unset, in
    /// the hotline's time zone), sets version 1 and writes the case with its initial transcript. The case
    /// is on disk when this returns, before the worker is told its number.
    /// </summary>
    Task<HotlineCase> CreateAsync(HotlineCase draft, CancellationToken cancellationToken = default);

    /// <summary>The case with its whole transcript and history, or null.</summary>
    Task<HotlineCase?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>One page of the cases whose status is in the query's filter (all when none), oldest first, and how many match.</summary>
    Task<CasePage> ListAsync(CaseQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes everything but the transcript if the stored version is still <see cref="HotlineCase.Version"/>,
    /// and increments it.
    /// </summary>
    /// <exception cref="CaseConcurrencyException">The case changed since it was read.</exception>
    /// <exception cref="CaseNotFoundException">No such case.</exception>
    Task<HotlineCase> UpdateAsync(HotlineCase hotlineCase, CancellationToken cancellationToken = default);

    /// <summary>Adds a line at the end of the transcript. It does not change the version, so it never conflicts with an update.</summary>
    /// <exception cref="CaseNotFoundException">No such case.</exception>
    Task AppendTranscriptAsync(string caseId, TranscriptLine line, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every case the follow-ups are not done with, oldest first: the open ones (<see cref="CaseStatuses.Open"/>)
    /// and closed ones with a message still <see cref="DeliveryState.Pending"/> (the notice that closed them).
    /// What follow-ups are rebuilt from at start.
    /// </summary>
    Task<IReadOnlyList<HotlineCase>> ListUnfinishedAsync(CancellationToken cancellationToken = default);

    /// <summary>The cases opened from one conversation, newest first ("我的工单").</summary>
    Task<IReadOnlyList<HotlineCase>> ListByConversationAsync(string channelId, string conversationId, CancellationToken cancellationToken = default);
}

/// <summary>A page of cases: <paramref name="Page"/> counts from 1.</summary>
public sealed record CaseQuery(IReadOnlyCollection<CaseStatus>? Statuses = null, int Page = 1, int PageSize = 20)
{
    public const int MaxPageSize = 200;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Page, 1, nameof(Page));
        ArgumentOutOfRangeException.ThrowIfLessThan(PageSize, 1, nameof(PageSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PageSize, MaxPageSize, nameof(PageSize));
    }
}

/// <summary>The items of one page and the number of cases matching the query on all pages.</summary>
public sealed record CasePage(IReadOnlyList<HotlineCase> Items, int Total);
