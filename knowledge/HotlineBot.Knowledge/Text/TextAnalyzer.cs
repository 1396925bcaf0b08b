using HotlineBot.Knowledge.Loading;

namespace HotlineBot.Knowledge.Text;

/// <summary>
/// Turns Chinese text into weighted search terms: normalization, then every dictionary word found
/// (labour-law and union terms from seeds/), the legal terms behind workers' words (synonyms),
/// dictionary words written with homophone typos, and character bigrams so that unknown words and
/// other typos still match. Also tells whether the text holds a domain term and an out-of-scope cue.
/// Immutable and thread-safe.
/// </summary>
public sealed class TextAnalyzer
{
    private const char NotHan = '\u0001';

    private readonly PhraseMatcher<string> _words;
    private readonly PhraseMatcher<string> _homophones;
    private readonly PhraseMatcher<int> _cueWords;
    private readonly PhraseMatcher<int> _cueExceptions;
    private readonly IReadOnlyList<OutOfScopeCue> _cues;
    private readonly AnalyzerWeights _weights;
    private readonly JiebaWordSegmenter? _jieba;

    /// <param name="language">Dictionary, synonyms and out-of-scope cues from seeds/.</param>
    /// <param name="extraTerms">More domain words, such as the entries' tags.</param>
    /// <param name="weights">Weights per term kind; <see cref="AnalyzerWeights.Default"/> when null.</param>
    /// <param name="segmenter">Whether a general segmenter adds the text's other words.</param>
    public TextAnalyzer(LanguageData language, IEnumerable<string>? extraTerms = null, AnalyzerWeights? weights = null, SegmenterKind segmenter = SegmenterKind.Dictionary)
    {
        ArgumentNullException.ThrowIfNull(language);
        _weights = weights ?? AnalyzerWeights.Default;
        var dictionary = language.DictionaryTerms
            .Concat(language.Synonyms.Select(g => g.Term))
            .Concat(extraTerms ?? [])
            .Select(TextNormalizer.Normalize)
            .Where(w => w.Length >= 2 && !w.Contains(' ', StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();

        var phrases = dictionary.Select(w => KeyValuePair.Create(w, w))
            .Concat(language.Synonyms.SelectMany(g => g.Words.Select(w =>
                KeyValuePair.Create(TextNormalizer.Normalize(w), TextNormalizer.Normalize(g.Term)))));
        _words = new PhraseMatcher<string>(phrases);
        _homophones = new PhraseMatcher<string>(dictionary
            .Where(w => w.All(c => CharacterTables.SyllableCodes.ContainsKey(c)))
            .Select(w => KeyValuePair.Create(ToSyllables(w), w)));
        _jieba = segmenter == SegmenterKind.Jieba ? new JiebaWordSegmenter(dictionary) : null;
        _cues = language.OutOfScopeCues;
        _cueWords = new PhraseMatcher<int>(_cues.SelectMany((cue, i) => cue.Words.Select(w => KeyValuePair.Create(TextNormalizer.Normalize(w), i))));
        _cueExceptions = new PhraseMatcher<int>(_cues.SelectMany((cue, i) => cue.Unless.Select(w => KeyValuePair.Create(TextNormalizer.Normalize(w), i))));
    }

    public AnalyzedText Analyze(string text)
    {
        var normalized = TextNormalizer.Normalize(text);
        var terms = new Dictionary<string, Term>(StringComparer.Ordinal);
        var hasDomainTerm = AddWords(normalized, terms);
        AddHomophones(normalized, terms);
        if (_jieba is not null)
        {
            foreach (var word in _jieba.Words(normalized))
            {
                Add(terms, TermKind.Word, word);
            }
        }

        AddCharacterTerms(normalized, terms);
        return new AnalyzedText(normalized, [.. terms.Values], hasDomainTerm, FindCue(normalized));
    }

    private bool AddWords(string normalized, Dictionary<string, Term> terms)
    {
        var any = false;
        foreach (var (start, length, values) in _words.FindAll(normalized))
        {
            foreach (var word in values)
            {
                var kind = word.Length == length && string.CompareOrdinal(normalized, start, word, 0, length) == 0
                    ? TermKind.Word
                    : TermKind.Synonym;
                Add(terms, kind, word);
                any = true;
            }
        }

        return any;
    }

    /// <summary>
    /// A dictionary word whose reading matches and which shares at least one character with the
    /// text (加斑费 → 加班费); a reading alone (公式 → 工时) is too weak a sign.
    /// </summary>
    private void AddHomophones(string normalized, Dictionary<string, Term> terms)
    {
        var syllables = ToSyllables(normalized);
        foreach (var (start, length, values) in _homophones.FindAll(syllables))
        {
            foreach (var word in values)
            {
                var shared = 0;
                for (var i = 0; i < length; i++)
                {
                    shared += normalized[start + i] == word[i] ? 1 : 0;
                }

                if (shared > 0 && shared < length)
                {
                    Add(terms, TermKind.Homophone, word);
                }
            }
        }
    }

    private void AddCharacterTerms(string normalized, Dictionary<string, Term> terms)
    {
        var i = 0;
        while (i < normalized.Length)
        {
            var end = i;
            var han = TextNormalizer.IsHan(normalized[i]);
            while (end < normalized.Length && normalized[end] != ' ' && TextNormalizer.IsHan(normalized[end]) == han)
            {
                end++;
            }

            if (end == i)
            {
                i++;
                continue;
            }

            if (!han)
            {
                Add(terms, TermKind.Ascii, normalized[i..end].Trim('.'));
            }
            else
            {
                // Single characters carry what contiguous matching misses: 欠 in 欠我三个月工资.
                for (var j = i; j < end; j++)
                {
                    Add(terms, TermKind.Unigram, normalized.Substring(j, 1));
                    if (j + 1 < end)
                    {
                        Add(terms, TermKind.Bigram, normalized.Substring(j, 2));
                    }
                }
            }

            i = end;
        }
    }

    private void Add(Dictionary<string, Term> terms, TermKind kind, string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        var term = new Term(Term.KeyFor(kind, text), kind, _weights.For(kind));
        if (!terms.TryGetValue(term.Key, out var existing) || existing.Weight < term.Weight)
        {
            terms[term.Key] = term;
        }
    }

    private string? FindCue(string normalized)
    {
        if (_cues.Count == 0)
        {
            return null;
        }

        var excepted = new HashSet<int>();
        foreach (var (_, _, values) in _cueExceptions.FindAll(normalized))
        {
            excepted.UnionWith(values);
        }

        foreach (var (_, _, values) in _cueWords.FindAll(normalized))
        {
            foreach (var cue in values)
            {
                if (!excepted.Contains(cue))
                {
                    return _cues[cue].Name;
                }
            }
        }

        return null;
    }

    private static string ToSyllables(string text)
    {
        var codes = CharacterTables.SyllableCodes;
        return string.Create(text.Length, text, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = codes.TryGetValue(source[i], out var code) ? code : NotHan;
            }
        });
    }
}

/// <summary>How much each kind of term counts in matching.</summary>
public sealed record AnalyzerWeights(float Word, float Synonym, float Homophone, float Bigram, float Unigram, float Ascii)
{
    public static AnalyzerWeights Default { get; } = new(Word: 1.0f, Synonym: 1.0f, Homophone: 0.7f, Bigram: 0.5f, Unigram: 0.3f, Ascii: 1.0f);

    public float For(TermKind kind) => kind switch
    {
        TermKind.Word => Word,
        TermKind.Synonym => Synonym,
        TermKind.Homophone => Homophone,
        TermKind.Bigram => Bigram,
        TermKind.Unigram => Unigram,
        _ => Ascii,
    };
}
