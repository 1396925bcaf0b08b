using System.Collections.Frozen;

namespace HotlineBot.Knowledge.Text;

/// <summary>
/// Character data generated from Unicode's Unihan database by tools/unihan/generate.py:
/// traditional → simplified (kSimplifiedVariant) and toneless Mandarin readings (kMandarin).
/// </summary>
internal static class CharacterTables
{
    private static readonly Lazy<FrozenDictionary<char, char>> LazySimplified =
        new(() => Read("hant-hans.tsv").ToFrozenDictionary(p => p.Key, p => p.Value[0]));

    private static readonly Lazy<FrozenDictionary<char, string>> LazyPinyin =
        new(() => Read("pinyin.tsv").ToFrozenDictionary(p => p.Key, p => string.Intern(p.Value)));

    public static FrozenDictionary<char, char> Simplified => LazySimplified.Value;

    private static readonly Lazy<FrozenDictionary<char, char>> LazySyllableCodes = new(() =>
    {
        // Each distinct syllable becomes one private-use character, so a text's readings form a
        // string that the same phrase trie can search.
        var codes = LazyPinyin.Value.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select((syllable, i) => (syllable, code: (char)('\uE000' + i)))
            .ToDictionary(p => p.syllable, p => p.code, StringComparer.Ordinal);
        return LazyPinyin.Value.ToFrozenDictionary(p => p.Key, p => codes[p.Value]);
    });

    /// <summary>Han character → a code standing for its toneless reading; homophones share a code.</summary>
    public static FrozenDictionary<char, char> SyllableCodes => LazySyllableCodes.Value;

    private static List<KeyValuePair<char, string>> Read(string name)
    {
        var resource = $"HotlineBot.Knowledge.Text.Data.{name}";
        using var stream = typeof(CharacterTables).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded resource '{resource}' is missing.");
        using var reader = new StreamReader(stream);
        var pairs = new List<KeyValuePair<char, string>>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 2 && line[0] != '#' && line[1] == '\t')
            {
                pairs.Add(new(line[0], line[2..]));
            }
        }

        return pairs;
    }
}
