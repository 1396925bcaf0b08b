using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Exchange;
using HotlineBot.Knowledge.SmallTalk;
using YamlDotNet.RepresentationModel;

namespace HotlineBot.Knowledge.Loading;

/// <summary>
/// Reads the human-edited seed files: <c>knowledge/&lt;category&gt;.yaml</c> (policy entries),
/// <c>synonyms.yaml</c>, <c>dictionary.txt</c>, <c>out-of-scope.yaml</c> and <c>smalltalk.yaml</c>.
/// Any problem throws <see cref="KnowledgeLoadException"/> naming the file and line.
/// </summary>
public static class SeedLoader
{
    public const string KnowledgeFolder = "knowledge";

    public static SeedSet Load(string seedsDirectory)
    {
        if (!Directory.Exists(Path.Combine(seedsDirectory, KnowledgeFolder)))
        {
            throw new DirectoryNotFoundException($"No '{KnowledgeFolder}' folder under seeds directory '{seedsDirectory}'.");
        }

        var entries = LoadEntries(seedsDirectory);
        var language = new LanguageData(
            LoadDictionary(Path.Combine(seedsDirectory, "dictionary.txt")),
            LoadSynonyms(seedsDirectory, Path.Combine(seedsDirectory, "synonyms.yaml")),
            LoadCues(seedsDirectory, Path.Combine(seedsDirectory, "out-of-scope.yaml"), out var samples),
            samples);
        var smallTalk = LoadSmallTalk(seedsDirectory, Path.Combine(seedsDirectory, "smalltalk.yaml"));
        return new SeedSet(entries, language, smallTalk);
    }

    public static IReadOnlyList<PolicyEntry> LoadEntries(string seedsDirectory)
    {
        var entries = new List<PolicyEntry>();
        var firstSeen = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = Directory.GetFiles(Path.Combine(seedsDirectory, KnowledgeFolder), "*.yaml")
            .Order(StringComparer.Ordinal);
        foreach (var path in files)
        {
            var yaml = Open(seedsDirectory, path, out var root);
            if (root is null)
            {
                continue;
            }

            var category = Path.GetFileNameWithoutExtension(path);
            foreach (var item in yaml.Sequence(root, "a knowledge file"))
            {
                var entry = ReadEntry(yaml, yaml.Mapping(item, "an entry"), category);
                var where = $"{yaml.File}:{item.Start.Line}";
                if (!firstSeen.TryAdd(entry.Id, where))
                {
                    throw yaml.Error(item, $"duplicate id '{entry.Id}' (first defined at {firstSeen[entry.Id]})");
                }

                entries.Add(entry);
            }
        }

        return entries;
    }

    private static PolicyEntry ReadEntry(YamlNodes yaml, YamlMappingNode map, string fileCategory)
    {
        var (entry, problems) = EntryReader.Read((RawMap)YamlNodes.ToRaw(map), EntryReadRules.Seed(fileCategory));
        if (problems.Count == 0)
        {
            return entry!;
        }

        // A field that cannot be read is reported where it stands; broken rules together, at the entry.
        return entry is null
            ? throw new KnowledgeLoadException(yaml.File, problems[0].Line, problems[0].Message)
            : throw yaml.Error(map, string.Join("; ", problems.Select(p => p.Message)));
    }

    private static List<string> LoadDictionary(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        return File.ReadLines(path)
            .Select(line => line.Split('#', 2)[0].Trim())
            .Where(term => term.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    private static List<SynonymGroup> LoadSynonyms(string seedsDirectory, string path)
    {
        var groups = new List<SynonymGroup>();
        if (!File.Exists(path))
        {
            return groups;
        }

        var yaml = Open(seedsDirectory, path, out var root);
        if (root is null)
        {
            return groups;
        }

        foreach (var item in yaml.Sequence(root, "the synonyms file"))
        {
            var map = yaml.Mapping(item, "a synonym group");
            var words = yaml.TextList(map, "words");
            if (words.Count == 0)
            {
                throw yaml.Error(map, "a synonym group needs at least one word");
            }

            groups.Add(new SynonymGroup(yaml.RequiredText(map, "term"), words));
        }

        return groups;
    }

    private static List<OutOfScopeCue> LoadCues(string seedsDirectory, string path, out IReadOnlyList<string> samples)
    {
        var cues = new List<OutOfScopeCue>();
        samples = [];
        if (!File.Exists(path))
        {
            return cues;
        }

        var yaml = Open(seedsDirectory, path, out var root);
        if (root is null)
        {
            return cues;
        }

        var top = yaml.Mapping(root, "the out-of-scope file");
        if (YamlNodes.Child(top, "cues") is { } cueList)
        {
            foreach (var item in yaml.Sequence(cueList, "'cues'"))
            {
                var map = yaml.Mapping(item, "a cue");
                var words = yaml.TextList(map, "words");
                if (words.Count == 0)
                {
                    throw yaml.Error(map, "a cue needs at least one word");
                }

                cues.Add(new OutOfScopeCue(yaml.RequiredText(map, "name"), words, yaml.TextList(map, "unless")));
            }
        }

        samples = yaml.TextList(top, "samples");
        return cues;
    }

    private static List<SmallTalkIntent> LoadSmallTalk(string seedsDirectory, string path)
    {
        var intents = new List<SmallTalkIntent>();
        if (!File.Exists(path))
        {
            return intents;
        }

        var yaml = Open(seedsDirectory, path, out var root);
        if (root is null)
        {
            return intents;
        }

        foreach (var item in yaml.Sequence(root, "the small-talk file"))
        {
            var map = yaml.Mapping(item, "an intent");
            var replies = yaml.TextList(map, "replies");
            if (replies.Count == 0)
            {
                throw yaml.Error(map, "an intent needs at least one reply");
            }

            intents.Add(new SmallTalkIntent(yaml.RequiredText(map, "intent"), yaml.TextList(map, "patterns"), replies));
        }

        return intents;
    }

    private static YamlNodes Open(string seedsDirectory, string path, out YamlNode? root)
    {
        var display = Path.GetRelativePath(Path.GetDirectoryName(Path.GetFullPath(seedsDirectory))!, path);
        var yaml = new YamlNodes(display);
        root = yaml.ReadRoot(File.ReadAllText(path));
        return yaml;
    }
}
