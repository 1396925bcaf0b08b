using System.Globalization;
using HotlineBot.Knowledge.Entries;

namespace HotlineBot.Knowledge.Exchange;

/// <summary>What an import file holds: the entries that could be read and the problems of the rest.</summary>
/// <param name="Entries">The entries without problems, in file order; defaults applied.</param>
/// <param name="Errors">Every problem found; an import should apply nothing while there is one.</param>
public sealed record ImportFile(IReadOnlyList<PolicyEntry> Entries, IReadOnlyList<ImportError> Errors)
{
    public bool HasErrors => Errors.Count > 0;
}

/// <summary>One problem of an import file.</summary>
/// <param name="EntryIndex">The entry's 0-based position in the file (CSV: among its entry rows); null for the file as a whole.</param>
/// <param name="EntryId">The entry's id as written, when it has one.</param>
/// <param name="Field">The field as the schema names it, with 0-based list positions (<c>sources[1].title</c>); empty for the entry or file as a whole.</param>
/// <param name="Line">The 1-based line the problem is on, when known.</param>
/// <param name="Message">What is wrong, in words an admin can act on.</param>
public sealed record ImportError(int? EntryIndex, string? EntryId, string Field, long? Line, string Message)
{
    /// <summary>For example <c>line 12 entries[3] (overtime-pay) sources[1].title: 'title' is required</c>.</summary>
    public override string ToString()
    {
        var where = new List<string>();
        if (Line is { } line)
        {
            where.Add(string.Create(CultureInfo.InvariantCulture, $"line {line}"));
        }

        if (EntryIndex is { } index)
        {
            where.Add(string.Create(CultureInfo.InvariantCulture, $"entries[{index}]") + (string.IsNullOrEmpty(EntryId) ? string.Empty : $" ({EntryId})"));
        }

        if (Field.Length > 0)
        {
            where.Add(Field);
        }

        return where.Count == 0 ? Message : $"{string.Join(' ', where)}: {Message}";
    }
}
