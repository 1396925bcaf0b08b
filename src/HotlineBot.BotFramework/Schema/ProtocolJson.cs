using System.Text.Json;
using System.Text.Json.Serialization;

namespace HotlineBot.BotFramework.Schema;

/// <summary>The JSON shape of the protocol: camelCase, nulls left out, enums as strings.</summary>
public static class ProtocolJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
