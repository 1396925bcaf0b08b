namespace HotlineBot.Knowledge.Text;

/// <summary>How a search term was found; each kind carries its own weight.</summary>
public enum TermKind
{
    /// <summary>A dictionary word found as written.</summary>
    Word,

    /// <summary>A legal term added because a worker's word for it was found (老板 → 用人单位).</summary>
    Synonym,

    /// <summary>A dictionary word written with a homophone typo (加斑费 → 加班费).</summary>
    Homophone,

    /// <summary>Two adjacent Han characters: what keeps unknown words and other typos matchable.</summary>
    Bigram,

    /// <summary>A single Han character.</summary>
    Unigram,

    /// <summary>A run of ASCII letters and digits (12351, n+1, 996).</summary>
    Ascii,
}

/// <summary>One search term of an analyzed text; <see cref="Key"/> is prefixed by kind family.</summary>
public readonly record struct Term(string Key, TermKind Kind, float Weight)
{
    /// <summary>The term as a person reads it, for the "why this answer" view.</summary>
    public string Text => Key[2..];

    /// <summary>Words, synonyms and homophones share one key space: 加斑费 and 加班费 are the same term.</summary>
    public static string KeyFor(TermKind kind, string text) => kind switch
    {
        TermKind.Word or TermKind.Synonym or TermKind.Homophone => "w:" + text,
        TermKind.Bigram => "b:" + text,
        TermKind.Unigram => "u:" + text,
        _ => "a:" + text,
    };
}

/// <summary>A text after analysis: its normalized form, its terms, and what decides scope.</summary>
public sealed record AnalyzedText(string Normalized, IReadOnlyList<Term> Terms, bool HasDomainTerm, string? OutOfScopeCue);
