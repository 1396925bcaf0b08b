namespace HotlineBot.Cases;

/// <summary>A transition that the case's current status does not allow (resolving a closed case, say).</summary>
public sealed class InvalidCaseTransitionException : InvalidOperationException
{
    public InvalidCaseTransitionException(string caseId, string transition, CaseStatus from, IReadOnlyCollection<CaseStatus> allowedFrom)
        : base($"Case '{caseId}' cannot '{transition}' while {from}; it is allowed only from {string.Join(", ", allowedFrom)}.")
    {
        CaseId = caseId;
        Transition = transition;
        From = from;
        AllowedFrom = allowedFrom;
    }

    public string CaseId { get; }

    public string Transition { get; }

    public CaseStatus From { get; }

    public IReadOnlyCollection<CaseStatus> AllowedFrom { get; }
}

/// <summary>An update carried a version the store no longer has: someone else changed the case since it was read.</summary>
public sealed class CaseConcurrencyException : Exception
{
    public CaseConcurrencyException(string caseId, long expectedVersion, long? storedVersion)
        : base($"Case '{caseId}' changed since it was read (read version {expectedVersion}, stored version {storedVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}); read it again and retry.")
    {
        CaseId = caseId;
        ExpectedVersion = expectedVersion;
        StoredVersion = storedVersion;
    }

    public string CaseId { get; }

    public long ExpectedVersion { get; }

    public long? StoredVersion { get; }
}

/// <summary>No case has this id.</summary>
public sealed class CaseNotFoundException : KeyNotFoundException
{
    public CaseNotFoundException(string caseId)
        : base($"No case '{caseId}'.") => CaseId = caseId;

    public string CaseId { get; }
}

/// <summary>The operator does not hold the case, so may not write to the worker or resolve it (claim it first).</summary>
public sealed class CaseNotHeldException : InvalidOperationException
{
    public CaseNotHeldException(string caseId, string operatorName, string? assignee)
        : base($"Case '{caseId}' is held by {(assignee is null ? "no one" : $"'{assignee}'")}, not by '{operatorName}'.")
    {
        CaseId = caseId;
        Assignee = assignee;
    }

    public string CaseId { get; }

    public string? Assignee { get; }
}
