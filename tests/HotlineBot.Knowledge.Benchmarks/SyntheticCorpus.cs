using System.Globalization;
using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Text;

namespace HotlineBot.Knowledge.Benchmarks;

/// <summary>
/// Makes many published policy entries out of the seed entries, deterministically (a fixed
/// <see cref="Random"/> seed and ordered inputs), so the index can be measured at a size the seed
/// content does not reach. Each synthetic entry starts from one seed entry and recombines
/// fragments of the seed content: its phrasings get words swapped in from other entries'
/// phrasings, clauses of other entries' phrasings, and Han filler drawn from the seed vocabulary
/// and characters (weighted by how often they occur); its answer mixes lines of several seed
/// answers. Term frequencies therefore look like those of real content, only with more entries
/// sharing each term. Not meant to be searched for meaning.
/// </summary>
public static class SyntheticCorpus
{
    /// <summary>The fixed seed of the generator: the same inputs give the same entries on every run.</summary>
    public const int DefaultSeed = 12351;

    private static readonly char[] ClauseBreaks = ['，', '。', '？', '！', '、', '；', '：', ',', '?', '!', ';', ':', ' '];

    /// <summary>
    /// Generates <paramref name="count"/> published entries with unique slug ids (none equal to a
    /// seed id), 8 to 12 alternates each (10 on average).
    /// </summary>
    /// <param name="seeds">The entries to recombine (typically the published seed entries).</param>
    /// <param name="vocabulary">Domain words (dictionary, synonyms, tags) used for word swaps and filler.</param>
    /// <param name="count">How many entries to make.</param>
    /// <param name="seed">The random seed.</param>
    public static IReadOnlyList<PolicyEntry> Generate(IReadOnlyList<PolicyEntry> seeds, IReadOnlyList<string> vocabulary, int count, int seed = DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (seeds.Count == 0)
        {
            throw new ArgumentException("At least one seed entry is needed.", nameof(seeds));
        }

        var pools = new Pools(seeds, vocabulary);
        var random = new Random(seed);
        var ids = new HashSet<string>(seeds.Select(e => e.Id), StringComparer.Ordinal);
        var entries = new List<PolicyEntry>(count);
        for (var i = 0; i < count; i++)
        {
            var b = random.Next(seeds.Count);
            var entry = Make(pools, random, b, i);
            if (!ids.Add(entry.Id))
            {
                throw new InvalidOperationException($"Synthetic id '{entry.Id}' is not unique.");
            }

            entries.Add(entry);
        }

        return entries;
    }

    private static PolicyEntry Make(Pools pools, Random random, int b, int i)
    {
        var source = pools.Seeds[b];
        var question = Vary(pools, random, b, source.Question, swap: 1.0);
        var phrasings = new HashSet<string>(StringComparer.Ordinal) { question };
        var alternates = new List<string>();
        var wanted = random.Next(8, 13);
        for (var attempt = 0; alternates.Count < wanted && attempt < wanted * 4; attempt++)
        {
            var basis = pools.Phrasings[b][random.Next(pools.Phrasings[b].Count)];
            var alternate = Vary(pools, random, b, basis, swap: 0.6);
            if (phrasings.Add(alternate))
            {
                alternates.Add(alternate);
            }
        }

        var tags = source.Tags.ToList();
        if (random.NextDouble() < 0.3)
        {
            var other = pools.Seeds[random.Next(pools.Seeds.Count)];
            if (other.Tags.Count > 0)
            {
                tags.Add(other.Tags[random.Next(other.Tags.Count)]);
            }
        }

        return source with
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"synthetic-{i + 1:D5}-{source.Id}"),
            Question = question,
            Alternates = alternates,
            Answer = Answer(pools, random, b),
            Tags = [.. tags.Distinct(StringComparer.Ordinal)],
            Status = EntryStatus.Published,
            Version = 1,
        };
    }

    /// <summary>A phrasing of entry <paramref name="b"/> with another entry's word, clause or filler worked in.</summary>
    private static string Vary(Pools pools, Random random, int b, string basis, double swap)
    {
        var text = basis;
        if (random.NextDouble() < swap)
        {
            var other = OtherEntry(pools, random, b);
            var incoming = pools.Words[other].Count > 0
                ? pools.Words[other][random.Next(pools.Words[other].Count)]
                : pools.Vocabulary[random.Next(pools.Vocabulary.Count)];
            var present = pools.WordsIn[basis];
            text = present.Count > 0
                ? ReplaceFirst(text, present[random.Next(present.Count)], incoming)
                : Insert(text, random, incoming);
        }

        if (random.NextDouble() < 0.3)
        {
            var other = OtherEntry(pools, random, b);
            var clause = pools.Clauses[other][random.Next(pools.Clauses[other].Count)];
            text = random.Next(2) == 0 ? clause + "，" + text : text + "，" + clause;
        }

        if (random.NextDouble() < 0.4)
        {
            text = Insert(text, random, Filler(pools, random));
        }

        return text;
    }

    /// <summary>The source answer's headline, bullet lines from it and from other answers, then its sources line.</summary>
    private static string Answer(Pools pools, Random random, int b)
    {
        var own = pools.AnswerLines[b];
        var lines = new List<string> { own[0] };
        var body = own.Count > 2 ? own.Skip(1).Take(own.Count - 2).ToList() : [];
        lines.AddRange(body.Where(_ => random.NextDouble() < 0.7));
        var borrowed = random.Next(1, 4);
        for (var k = 0; k < borrowed; k++)
        {
            var other = pools.AnswerLines[OtherEntry(pools, random, b)];
            lines.Insert(1 + random.Next(lines.Count), other[random.Next(other.Count)]);
        }

        if (random.NextDouble() < 0.5)
        {
            var at = random.Next(lines.Count);
            lines[at] = Insert(lines[at], random, Filler(pools, random));
        }

        if (own.Count > 1)
        {
            lines.Add(own[^1]);
        }

        return string.Join('\n', lines) + "\n";
    }

    /// <summary>One or two pieces of Han filler: a vocabulary word, or 2 to 4 characters drawn by seed frequency.</summary>
    private static string Filler(Pools pools, Random random)
    {
        var pieces = random.Next(1, 3);
        var filler = new System.Text.StringBuilder();
        for (var p = 0; p < pieces; p++)
        {
            if (random.Next(2) == 0)
            {
                filler.Append(pools.Vocabulary[random.Next(pools.Vocabulary.Count)]);
            }
            else
            {
                var length = random.Next(2, 5);
                for (var c = 0; c < length; c++)
                {
                    filler.Append(pools.HanCharacters[random.Next(pools.HanCharacters.Count)]);
                }
            }
        }

        return filler.ToString();
    }

    private static int OtherEntry(Pools pools, Random random, int b)
    {
        if (pools.Seeds.Count == 1)
        {
            return b;
        }

        var other = random.Next(pools.Seeds.Count - 1);
        return other >= b ? other + 1 : other;
    }

    private static string ReplaceFirst(string text, string word, string replacement)
    {
        var at = text.IndexOf(word, StringComparison.Ordinal);
        return string.Concat(text.AsSpan(0, at), replacement, text.AsSpan(at + word.Length));
    }

    /// <summary>Inserts at a random position that does not split a surrogate pair.</summary>
    private static string Insert(string text, Random random, string piece)
    {
        var at = random.Next(text.Length + 1);
        if (at < text.Length && char.IsLowSurrogate(text[at]))
        {
            at--;
        }

        return text.Insert(at, piece);
    }

    /// <summary>The fragments of the seed content, gathered once and in a fixed order.</summary>
    private sealed class Pools
    {
        public Pools(IReadOnlyList<PolicyEntry> seeds, IReadOnlyList<string> vocabulary)
        {
            Seeds = seeds;
            Vocabulary = [.. vocabulary
                .Where(w => w.Length >= 2 && w.All(TextNormalizer.IsHan))
                .Distinct(StringComparer.Ordinal)
                .OrderByDescending(w => w.Length)
                .ThenBy(w => w, StringComparer.Ordinal)];
            if (Vocabulary.Count == 0)
            {
                throw new ArgumentException("The vocabulary holds no Han words of two or more characters.", nameof(vocabulary));
            }

            Phrasings = [.. seeds.Select(e => (IReadOnlyList<string>)[.. e.Phrasings()])];
            WordsIn = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (var phrasing in Phrasings.SelectMany(p => p))
            {
                WordsIn.TryAdd(phrasing, [.. Vocabulary.Where(w => phrasing.Contains(w, StringComparison.Ordinal))]);
            }

            Words = [.. Phrasings.Select(phrasings => (IReadOnlyList<string>)[.. phrasings
                .SelectMany(p => WordsIn[p])
                .Distinct(StringComparer.Ordinal)])];
            Clauses = [.. Phrasings.Select(phrasings =>
            {
                IReadOnlyList<string> clauses = [.. phrasings
                    .SelectMany(p => p.Split(ClauseBreaks, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    .Where(c => c.Length >= 2)];
                return clauses.Count > 0 ? clauses : phrasings;
            })];
            AnswerLines = [.. seeds.Select(e =>
            {
                IReadOnlyList<string> lines = [.. e.Answer.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                return lines.Count > 0 ? lines : [e.Question];
            })];
            HanCharacters = [.. seeds
                .SelectMany(e => e.Phrasings().Append(e.Answer))
                .SelectMany(text => text)
                .Where(TextNormalizer.IsHan)];
        }

        public IReadOnlyList<PolicyEntry> Seeds { get; }

        /// <summary>Han words of two or more characters, longest first so swaps take whole words.</summary>
        public IReadOnlyList<string> Vocabulary { get; }

        /// <summary>Per seed entry: its question and alternates.</summary>
        public IReadOnlyList<IReadOnlyList<string>> Phrasings { get; }

        /// <summary>Per seed phrasing: the vocabulary words it holds.</summary>
        public Dictionary<string, IReadOnlyList<string>> WordsIn { get; }

        /// <summary>Per seed entry: the vocabulary words its phrasings use.</summary>
        public IReadOnlyList<IReadOnlyList<string>> Words { get; }

        /// <summary>Per seed entry: its phrasings split at punctuation.</summary>
        public IReadOnlyList<IReadOnlyList<string>> Clauses { get; }

        /// <summary>Per seed entry: the non-empty lines of its answer.</summary>
        public IReadOnlyList<IReadOnlyList<string>> AnswerLines { get; }

        /// <summary>Every Han character of the seed phrasings and answers, repeats kept (so drawing is frequency-weighted).</summary>
        public IReadOnlyList<char> HanCharacters { get; }
    }
}
