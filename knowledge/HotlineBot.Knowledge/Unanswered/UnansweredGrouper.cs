using System.Security.Cryptography;
using System.Text;
using HotlineBot.Knowledge.Search;
using HotlineBot.Knowledge.Text;

namespace HotlineBot.Knowledge.Unanswered;

/// <summary>
/// Groups the questions the bot could not answer by similar wording, for the admins' inbox. Each
/// wording becomes a weighted term vector through the search's own <see cref="TextAnalyzer"/>
/// (dictionary words, the legal terms behind workers' words, homophone typos, traditional →
/// simplified) plus its character bigrams, minus single characters and bigrams made of question
/// and function characters (怎么、可以、我的 ...), which every question shares whatever it is about.
/// Terms are weighted by their inverse document frequency in a corpus (the knowledge base's
/// questions): 用人单位 or 工资 say little about which question it is, 公积金 or 团建 say much. Distinct wordings are taken most frequent first and each joins the group whose centroid is the
/// most similar (cosine at least <see cref="Threshold"/>), or starts its own: the result depends
/// only on the questions, never on their order. Thread-safe.
/// </summary>
public sealed class UnansweredGrouper
{
    /// <summary>The cosine similarity from which a wording joins a group.</summary>
    public const double DefaultThreshold = 0.45;

    /// <summary>The most example wordings a group shows.</summary>
    public const int MaxExamples = 5;

    /// <summary>Characters that say how something is asked, not what it is about.</summary>
    private static readonly HashSet<char> FunctionCharacters = [.. "怎么办吗呢吧啊呀哦嘛了的得地我你您他她它们是在想请问可以能该这那个些什样如何为哪谁啥"];

    private readonly TextAnalyzer _analyzer;
    private readonly Dictionary<string, double> _idf = new(StringComparer.Ordinal);
    private readonly double _unseenIdf = 1;

    /// <param name="analyzer">The search's text analysis.</param>
    /// <param name="corpus">
    /// Documents (an entry's question and alternates, joined) whose term frequencies weight the terms;
    /// every term weighs the same without one.
    /// </param>
    /// <param name="threshold">The cosine similarity from which a wording joins a group, 0..1.</param>
    public UnansweredGrouper(TextAnalyzer analyzer, IEnumerable<string>? corpus = null, double threshold = DefaultThreshold)
    {
        _analyzer = analyzer ?? throw new ArgumentNullException(nameof(analyzer));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threshold);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, 1);
        Threshold = threshold;
        var documents = (corpus ?? []).Select(d => Terms(d).Select(t => t.Key).ToHashSet(StringComparer.Ordinal)).ToList();
        if (documents.Count > 0)
        {
            // Smoothed idf: a term no document holds weighs most, one every document holds still counts.
            _unseenIdf = Math.Log(documents.Count + 1.0) + 1;
            foreach (var group in documents.SelectMany(d => d).GroupBy(k => k, StringComparer.Ordinal))
            {
                _idf[group.Key] = Math.Log((documents.Count + 1.0) / (group.Count() + 1)) + 1;
            }
        }
    }

    public double Threshold { get; }

    /// <summary>A wording's identity: normalized (simplified, width-folded, punctuation gone) without spaces.</summary>
    public static string Key(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TextNormalizer.Normalize(text).Replace(" ", string.Empty, StringComparison.Ordinal);
    }

    /// <summary>The id of a group whose representative wording has this <see cref="Key"/>: 16 hex digits of its SHA-256.</summary>
    public static string GroupId(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
    }

    /// <summary>The cosine similarity of two wordings, 0..1.</summary>
    public double Similarity(string a, string b) => Dot(Vector(a), Vector(b));

    /// <summary>
    /// The groups, the largest first (then the most recent). Questions with no words to read are left
    /// out. With <paramref name="search"/>, each group carries the search's best candidate for its wording.
    /// </summary>
    public IReadOnlyList<UnansweredGroup> Group(IEnumerable<UnansweredQuestion> questions, IPolicySearch? search = null)
    {
        ArgumentNullException.ThrowIfNull(questions);
        var wordings = questions
            .Select(q => (Key: Key(q.Text), Question: q))
            .Where(q => q.Key.Length > 0)
            .GroupBy(q => q.Key, q => q.Question, StringComparer.Ordinal)
            .Select(g => new Wording(g.Key, [.. g.OrderBy(q => q.At).ThenBy(q => q.Id)], Vector(g.Key)))
            .OrderByDescending(w => w.Questions.Count)
            .ThenByDescending(w => w.Questions[^1].At)
            .ThenBy(w => w.Key, StringComparer.Ordinal)
            .ToList();

        var clusters = new List<Cluster>();
        foreach (var wording in wordings)
        {
            Cluster? best = null;
            var bestSimilarity = Threshold;
            foreach (var cluster in clusters)
            {
                var similarity = cluster.Similarity(wording.Vector);
                if (similarity >= bestSimilarity && (best is null || similarity > bestSimilarity))
                {
                    best = cluster;
                    bestSimilarity = similarity;
                }
            }

            if (best is null)
            {
                clusters.Add(new Cluster(wording));
            }
            else
            {
                best.Add(wording);
            }
        }

        return [.. clusters
            .Select(c => ToGroup(c, search))
            .OrderByDescending(g => g.Count)
            .ThenByDescending(g => g.LastAt)
            .ThenBy(g => g.Id, StringComparer.Ordinal)];
    }

    private static UnansweredGroup ToGroup(Cluster cluster, IPolicySearch? search)
    {
        var leader = cluster.Members[0];
        var all = cluster.Members.SelectMany(m => m.Questions).OrderBy(q => q.At).ThenBy(q => q.Id).ToList();
        var wording = leader.Questions[^1].Text.Trim();
        var examples = cluster.Members.Take(MaxExamples).Select(m => m.Questions[^1].Text.Trim()).ToList();
        var optedIn = all.Select(q => q.OptedInBy).OfType<string>().Distinct(StringComparer.Ordinal).Count();
        var sources = new UnansweredSourceCounts(
            all.Count(q => q.Source == UnansweredSource.Fallback),
            all.Count(q => q.Source == UnansweredSource.NoneOfThese),
            all.Count(q => q.Source == UnansweredSource.NotSolved));
        var top = search?.Search(wording).Candidates is [var first, ..] ? first : null;
        var suggestion = top is null ? null : new UnansweredSuggestion(top.Entry.Id, top.Entry.Question, Math.Round(top.Confidence, 3));
        return new UnansweredGroup(GroupId(leader.Key), wording, all.Count, all[0].At, all[^1].At, sources, examples, optedIn, suggestion, all);
    }

    /// <summary>The wording's terms as a unit vector (empty when it holds nothing to compare).</summary>
    private Dictionary<string, double> Vector(string text)
    {
        var vector = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var term in Terms(text))
        {
            vector[term.Key] = term.Weight * _idf.GetValueOrDefault(term.Key, _unseenIdf);
        }

        var norm = Math.Sqrt(vector.Values.Sum(w => w * w));
        foreach (var key in vector.Keys.ToList())
        {
            vector[key] /= norm;
        }

        return vector;
    }

    /// <summary>The terms that say what the text is about.</summary>
    private IEnumerable<Term> Terms(string text) => _analyzer.Analyze(text).Terms
        .Where(t => t.Kind != TermKind.Unigram && !(t.Kind == TermKind.Bigram && t.Text.Any(FunctionCharacters.Contains)));

    private static double Dot(Dictionary<string, double> a, Dictionary<string, double> b)
    {
        var (small, large) = a.Count <= b.Count ? (a, b) : (b, a);
        var sum = 0.0;
        foreach (var (key, weight) in small)
        {
            if (large.TryGetValue(key, out var other))
            {
                sum += weight * other;
            }
        }

        return sum;
    }

    /// <summary>One normalized wording and every time it was asked, oldest first.</summary>
    private sealed record Wording(string Key, IReadOnlyList<UnansweredQuestion> Questions, Dictionary<string, double> Vector);

    /// <summary>A group being built: its wordings (the leader first) and the sum of their vectors.</summary>
    private sealed class Cluster
    {
        private readonly Dictionary<string, double> _sum = new(StringComparer.Ordinal);

        public Cluster(Wording leader) => Add(leader);

        public List<Wording> Members { get; } = [];

        public void Add(Wording wording)
        {
            Members.Add(wording);
            foreach (var (key, weight) in wording.Vector)
            {
                _sum[key] = _sum.GetValueOrDefault(key) + weight;
            }
        }

        /// <summary>The cosine between the wording and the group's centroid.</summary>
        public double Similarity(Dictionary<string, double> vector)
        {
            var norm = Math.Sqrt(_sum.Values.Sum(w => w * w));
            return norm == 0 ? 0 : Dot(_sum, vector) / norm;
        }
    }
}
