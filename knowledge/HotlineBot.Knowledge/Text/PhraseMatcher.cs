namespace HotlineBot.Knowledge.Text;

/// <summary>
/// A character trie that finds every listed phrase occurring anywhere in a text (all matches,
/// overlapping ones included), each with the values attached to it. Immutable once built.
/// </summary>
internal sealed class PhraseMatcher<T>
{
    private readonly Node _root = new();

    public PhraseMatcher(IEnumerable<KeyValuePair<string, T>> phrases)
    {
        foreach (var (phrase, value) in phrases)
        {
            if (phrase.Length == 0)
            {
                continue;
            }

            var node = _root;
            foreach (var c in phrase)
            {
                node.Children ??= [];
                if (!node.Children.TryGetValue(c, out var next))
                {
                    next = new Node();
                    node.Children[c] = next;
                }

                node = next;
            }

            node.Values ??= [];
            if (!node.Values.Contains(value))
            {
                node.Values.Add(value);
            }
        }
    }

    /// <summary>Every match as (start, length, values), shortest first at each start.</summary>
    public IEnumerable<(int Start, int Length, IReadOnlyList<T> Values)> FindAll(string text)
    {
        for (var start = 0; start < text.Length; start++)
        {
            var node = _root;
            for (var i = start; i < text.Length; i++)
            {
                if (node.Children is null || !node.Children.TryGetValue(text[i], out node))
                {
                    break;
                }

                if (node.Values is not null)
                {
                    yield return (start, i - start + 1, node.Values);
                }
            }
        }
    }

    private sealed class Node
    {
        public Dictionary<char, Node>? Children;
        public List<T>? Values;
    }
}
