using HotlineBot.Knowledge.Exchange;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace HotlineBot.Knowledge.Loading;

/// <summary>Reads YAML through the representation model so every error can name its line.</summary>
internal sealed class YamlNodes(string file)
{
    /// <summary>Far deeper than any content file goes, far shallower than what overflows a thread's stack.</summary>
    private const int MaxNesting = 64;

    /// <summary>Deeper than any entry field goes; aliases may make a node contain itself, so conversion stops here.</summary>
    private const int MaxRawDepth = 8;

    public string File { get; } = file;

    public YamlNode? ReadRoot(string text)
    {
        var stream = new YamlStream();
        try
        {
            CheckNesting(text);
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new KnowledgeLoadException(File, e.Start.Line, $"not valid YAML: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet reports some unclosed collections ("[a, b" to the end of the file) this way, without a position.
            throw new KnowledgeLoadException(File, text.Split('\n').Length, $"not valid YAML: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            // And some malformed mappings (an empty key, "- : value") this way, without a position either.
            throw new KnowledgeLoadException(File, 0, $"not valid YAML: {e.Message}", e);
        }

        return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
    }

    public KnowledgeLoadException Error(YamlNode node, string problem) => new(File, node.Start.Line, problem);

    /// <summary>
    /// The representation model recurses once per level of nesting, so thousands of levels ("[[[[...")
    /// would overflow the stack and end the process, which no catch can stop. The parser itself does not
    /// recurse: its events are counted first.
    /// </summary>
    private void CheckNesting(string text)
    {
        var parser = new Parser(new StringReader(text));
        var depth = 0;
        while (parser.MoveNext())
        {
            if (parser.Current is SequenceStart or MappingStart && ++depth > MaxNesting)
            {
                throw new KnowledgeLoadException(File, parser.Current.Start.Line, $"lists and mappings are nested more than {MaxNesting} deep");
            }

            if (parser.Current is SequenceEnd or MappingEnd)
            {
                depth--;
            }
        }
    }

    /// <summary>The node as the format-neutral tree <see cref="EntryReader"/> reads, lines kept.</summary>
    public static RawNode ToRaw(YamlNode node, int depth = 0)
    {
        var line = node.Start.Line;
        return node switch
        {
            YamlSequenceNode sequence => new RawList(depth < MaxRawDepth ? [.. sequence.Children.Select(item => ToRaw(item, depth + 1))] : [], line),
            YamlMappingNode mapping => new RawMap(
                depth < MaxRawDepth
                    ? [.. mapping.Children.Select(pair => KeyValuePair.Create(pair.Key is YamlScalarNode { Value: { } key } ? key : "(a key that is not text)", ToRaw(pair.Value, depth + 1)))]
                    : [],
                line),
            YamlScalarNode scalar => new RawText(scalar.Value ?? string.Empty, line),
            _ => new RawText(string.Empty, line),
        };
    }

    public YamlSequenceNode Sequence(YamlNode node, string what) =>
        node as YamlSequenceNode ?? throw Error(node, $"{what} must be a list");

    public YamlMappingNode Mapping(YamlNode node, string what) =>
        node as YamlMappingNode ?? throw Error(node, $"{what} must be a mapping of fields");

    public static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public string? OptionalText(YamlMappingNode map, string key)
    {
        var node = Child(map, key);
        if (node is null)
        {
            return null;
        }

        if (node is not YamlScalarNode scalar)
        {
            throw Error(node, $"'{key}' must be text");
        }

        return string.IsNullOrWhiteSpace(scalar.Value) ? null : scalar.Value.Trim();
    }

    public string RequiredText(YamlMappingNode map, string key) =>
        OptionalText(map, key) ?? throw Error(map, $"'{key}' is required");

    public IReadOnlyList<string> TextList(YamlMappingNode map, string key)
    {
        var node = Child(map, key);
        if (node is null)
        {
            return [];
        }

        var list = new List<string>();
        foreach (var item in Sequence(node, $"'{key}'"))
        {
            if (item is not YamlScalarNode { Value: { } value } || string.IsNullOrWhiteSpace(value))
            {
                throw Error(item, $"every item of '{key}' must be non-empty text");
            }

            list.Add(value.Trim());
        }

        return list;
    }
}
