using System.Text;
using System.Text.Json;

namespace HotlineBot.Knowledge.Exchange;

/// <summary>
/// Reads JSON into the raw tree with the line of every value, which <see cref="JsonDocument"/> does not
/// keep. Comments and trailing commas are allowed, as admins edit these files by hand.
/// </summary>
internal static class JsonTree
{
    private static readonly JsonReaderOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 16,
    };

    /// <exception cref="JsonException">The text is not JSON; <see cref="JsonException.LineNumber"/> is 0-based.</exception>
    public static RawNode Parse(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var lines = new Lines(bytes);
        var reader = new Utf8JsonReader(bytes, Options);
        Next(ref reader);
        var root = ReadValue(ref reader, lines);
        // Throws for anything but whitespace and comments after the value.
        reader.Read();
        return root;
    }

    private static RawNode ReadValue(ref Utf8JsonReader reader, Lines lines)
    {
        var line = lines.Of(reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var fields = new List<KeyValuePair<string, RawNode>>();
                while (Next(ref reader) != JsonTokenType.EndObject)
                {
                    var name = reader.GetString() ?? string.Empty;
                    Next(ref reader);
                    fields.Add(KeyValuePair.Create(name, ReadValue(ref reader, lines)));
                }

                return new RawMap(fields, line);
            case JsonTokenType.StartArray:
                var items = new List<RawNode>();
                while (Next(ref reader) != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader, lines));
                }

                return new RawList(items, line);
            case JsonTokenType.String:
                return new RawText(reader.GetString() ?? string.Empty, line);
            case JsonTokenType.Null:
                return new RawText(string.Empty, line);
            default:
                // Numbers and booleans: their literal text, as YAML would give it.
                return new RawText(Encoding.UTF8.GetString(reader.ValueSpan), line);
        }
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new JsonException("The JSON ends before its value is complete.");

    /// <summary>Maps a byte offset to its 1-based line.</summary>
    private sealed class Lines
    {
        private readonly List<long> _starts = [0];

        public Lines(byte[] bytes)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] == (byte)'\n')
                {
                    _starts.Add(i + 1);
                }
            }
        }

        public long Of(long offset)
        {
            var index = _starts.BinarySearch(offset);
            return (index >= 0 ? index : ~index - 1) + 1;
        }
    }
}
