namespace HotlineBot.Knowledge.Exchange;

/// <summary>
/// A parsed document before it becomes entries: text, lists and maps with the line each starts on.
/// YAML, JSON and CSV are each read into this shape, so one reader (<see cref="EntryReader"/>)
/// applies the entry schema to all of them and to the seed files.
/// </summary>
internal abstract record RawNode(long Line);

/// <summary>A scalar as written; JSON numbers and booleans keep their literal text, null is empty.</summary>
internal sealed record RawText(string Value, long Line) : RawNode(Line);

internal sealed record RawList(IReadOnlyList<RawNode> Items, long Line) : RawNode(Line);

/// <summary>Fields in document order; a key given twice stays twice so the reader can report it.</summary>
internal sealed record RawMap(IReadOnlyList<KeyValuePair<string, RawNode>> Fields, long Line) : RawNode(Line)
{
    public RawNode? Get(string key)
    {
        foreach (var (name, value) in Fields)
        {
            if (name == key)
            {
                return value;
            }
        }

        return null;
    }
}
