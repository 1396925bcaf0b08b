using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HotlineBot.Knowledge.Loading;

/// <summary>Reads YAML through the representation model so every error can name its line.</summary>
internal sealed class YamlNodes(string file)
{
    public string File { get; } = file;

    public YamlNode? ReadRoot(string text)
    {
        var stream = new YamlStream();
        try
        {
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

        return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
    }

    public KnowledgeLoadException Error(YamlNode node, string problem) => new(File, node.Start.Line, problem);

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

    public DateOnly? OptionalDate(YamlMappingNode map, string key)
    {
        var text = OptionalText(map, key);
        if (text is null)
        {
            return null;
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw Error(Child(map, key)!, $"'{key}' must be a date written YYYY-MM-DD, not '{text}'");
    }

    public int? OptionalInt(YamlMappingNode map, string key)
    {
        var text = OptionalText(map, key);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error(Child(map, key)!, $"'{key}' must be a whole number, not '{text}'");
    }
}
