using System.Text.RegularExpressions;
using HotlineBot.Knowledge.Loading;
using HotlineBot.Knowledge.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HotlineBot.Dialogs.Emergency;

/// <summary>
/// Finds acute danger in a worker's message: violence or confinement, injury, fire, gas leaks,
/// self-harm. Matching is by substring on the normalized text without spaces, so traditional
/// characters, full-width forms and punctuation make no difference. Immutable and thread-safe.
/// </summary>
public sealed class EmergencyDetector
{
    /// <summary>The file's name in the seeds directory.</summary>
    public const string FileName = "emergency.yaml";

    private static readonly string[] CategoryKeys = ["name", "numbers", "call", "also", "now", "always", "cues", "unless"];

    /// <summary>In a phrase, <c>*</c> stands for up to this many characters (被*打伤: 被人打伤, 被工头打伤).</summary>
    public const int WildcardLength = 4;

    private readonly Rule[] _rules;
    private readonly Phrase[] _sharedUnless;

    /// <param name="categories">In priority order: the first matched leads the reply.</param>
    /// <param name="sharedUnless">Phrases that stop every category's ordinary cues (never its always cues).</param>
    public EmergencyDetector(IEnumerable<EmergencyCategory> categories, IEnumerable<string>? sharedUnless = null)
    {
        ArgumentNullException.ThrowIfNull(categories);
        Categories = [.. categories];
        if (Categories.Count == 0)
        {
            throw new ArgumentException("At least one emergency category is needed.", nameof(categories));
        }

        _rules = [.. Categories.Select(c => new Rule(c, Phrases(c.Always), Phrases(c.Cues), Phrases(c.Unless)))];
        _sharedUnless = Phrases(sharedUnless ?? []);
    }

    public IReadOnlyList<EmergencyCategory> Categories { get; }

    /// <summary>The dangers the message reveals, or null when it reveals none.</summary>
    public EmergencyMatch? Detect(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Cues are looked for across punctuation ("血，止不住"); unless phrases only within one
        // stretch of text, so "打人，工友" (打人工 when joined) cannot stop a cue. Either way a miss
        // errs towards giving the numbers.
        var spaced = TextNormalizer.Normalize(text);
        var joined = spaced.Replace(" ", string.Empty, StringComparison.Ordinal);
        if (joined.Length == 0)
        {
            return null;
        }

        bool? shared = null;
        var hits = new List<EmergencyHit>();
        foreach (var rule in _rules)
        {
            var cue = FirstIn(joined, rule.Always);
            if (cue is null && FirstIn(joined, rule.Cues) is { } candidate)
            {
                shared ??= FirstIn(spaced, _sharedUnless) is not null;
                if (shared == false && FirstIn(spaced, rule.Unless) is null)
                {
                    cue = candidate;
                }
            }

            if (cue is not null)
            {
                hits.Add(new EmergencyHit(rule.Category, cue));
            }
        }

        return hits.Count == 0 ? null : new EmergencyMatch(hits);
    }

    /// <summary>Reads seeds/emergency.yaml (or a file of the same shape); problems name the file and line.</summary>
    /// <exception cref="KnowledgeLoadException">The file is not valid or misses something a category needs.</exception>
    public static EmergencyDetector Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = Path.GetFileName(path);
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new KnowledgeLoadException(file, e.Start.Line, $"not valid YAML: {e.Message}", e);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new KnowledgeLoadException(file, 1, "expected a mapping with 'unless' and 'categories'");
        }

        var categoriesNode = Child(root, "categories") as YamlSequenceNode
            ?? throw Error(file, root, "'categories' must be a list of categories");
        var categories = new List<EmergencyCategory>();
        foreach (var node in categoriesNode)
        {
            var map = node as YamlMappingNode ?? throw Error(file, node, "a category must be a mapping");
            foreach (var key in map.Children.Keys)
            {
                if (!CategoryKeys.Contains(Scalar(key), StringComparer.Ordinal))
                {
                    throw Error(file, key, $"unknown key '{Scalar(key)}' (known: {string.Join(", ", CategoryKeys)})");
                }
            }

            var category = new EmergencyCategory(
                Text(file, map, "name"),
                List(file, map, "numbers", required: true),
                Text(file, map, "call"),
                Text(file, map, "also"),
                Text(file, map, "now"),
                List(file, map, "always", required: false),
                List(file, map, "cues", required: false),
                List(file, map, "unless", required: false));
            if (category.Always.Count + category.Cues.Count == 0)
            {
                throw Error(file, map, $"category '{category.Name}' needs 'always' or 'cues' phrases");
            }

            if (categories.Exists(c => c.Name == category.Name))
            {
                throw Error(file, map, $"duplicate category '{category.Name}'");
            }

            categories.Add(category);
        }

        if (categories.Count == 0)
        {
            throw Error(file, categoriesNode, "'categories' is empty");
        }

        return new EmergencyDetector(categories, Child(root, "unless") is null ? [] : List(file, root, "unless", required: false));
    }

    /// <summary>The form cues and messages are compared in: normalized, without spaces.</summary>
    internal static string Key(string text) => TextNormalizer.Normalize(text).Replace(" ", string.Empty, StringComparison.Ordinal);

    private static Phrase[] Phrases(IEnumerable<string> phrases) =>
        [.. phrases.Select(Phrase.Parse).Where(p => p is not null).DistinctBy(p => p!.Text, StringComparer.Ordinal).Select(p => p!)];

    private static string? FirstIn(string text, Phrase[] phrases)
    {
        foreach (var phrase in phrases)
        {
            if (phrase.IsIn(text))
            {
                return phrase.Text;
            }
        }

        return null;
    }

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    private static string Scalar(YamlNode node) => node is YamlScalarNode { Value: { } value } ? value : string.Empty;

    private static string Text(string file, YamlMappingNode map, string key)
    {
        var node = Child(map, key);
        var value = node is YamlScalarNode scalar ? scalar.Value?.Trim() : null;
        return string.IsNullOrEmpty(value) ? throw Error(file, node ?? map, $"'{key}' is required and must be text") : value;
    }

    private static List<string> List(string file, YamlMappingNode map, string key, bool required)
    {
        var node = Child(map, key);
        if (node is null)
        {
            return required ? throw Error(file, map, $"'{key}' is required") : [];
        }

        if (node is not YamlSequenceNode sequence)
        {
            throw Error(file, node, $"'{key}' must be a list");
        }

        var items = new List<string>();
        foreach (var item in sequence)
        {
            var value = item is YamlScalarNode scalar ? scalar.Value?.Trim() : null;
            if (string.IsNullOrEmpty(value) || Phrase.Parse(value) is null)
            {
                throw Error(file, item, $"every item of '{key}' must be a non-empty phrase");
            }

            items.Add(value);
        }

        return required && items.Count == 0 ? throw Error(file, node, $"'{key}' must not be empty") : items;
    }

    private static KnowledgeLoadException Error(string file, YamlNode node, string problem) =>
        new(file, node.Start.Line, problem);

    private sealed record Rule(EmergencyCategory Category, Phrase[] Always, Phrase[] Cues, Phrase[] Unless);

    /// <summary>A normalized phrase; with <c>*</c> in it, a pattern whose stars stand for up to <see cref="WildcardLength"/> characters.</summary>
    private sealed class Phrase
    {
        private readonly Regex? _pattern;

        private Phrase(string text, Regex? pattern)
        {
            Text = text;
            _pattern = pattern;
        }

        public string Text { get; }

        public bool IsIn(string text) => _pattern?.IsMatch(text) ?? text.Contains(Text, StringComparison.Ordinal);

        /// <summary>The phrase normalized part by part (so the stars survive), or null when nothing is left of it.</summary>
        public static Phrase? Parse(string phrase)
        {
            var parts = phrase.Split('*').Select(Key).ToArray();
            if (parts.All(p => p.Length == 0))
            {
                return null;
            }

            var text = string.Join('*', parts).Trim('*');
            if (!text.Contains('*', StringComparison.Ordinal))
            {
                return new Phrase(text, null);
            }

            var pattern = string.Join($"[^ ]{{0,{WildcardLength}}}", text.Split('*').Where(p => p.Length > 0).Select(Regex.Escape));
            return new Phrase(text, new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking));
        }
    }
}
