using System.Text.Json;
using HotlineBot.BotFramework.Schema;

namespace HotlineBot.BotFramework.State;

/// <summary>
/// How state values become JSON and back: the protocol's options (camelCase, nulls left out,
/// enums as strings). A value read back from storage is a <see cref="JsonElement"/> until someone
/// asks for it as a type; <see cref="Convert{T}"/> does that.
/// </summary>
public static class StateJson
{
    public static JsonSerializerOptions Options => ProtocolJson.Options;

    /// <summary>The value as <typeparamref name="T"/>: itself when it already is one, else through JSON.</summary>
    public static T? Convert<T>(object? value) => value switch
    {
        null => default,
        T typed => typed,
        JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => default,
        JsonElement element => element.Deserialize<T>(Options),
        _ => JsonSerializer.SerializeToElement(value, value.GetType(), Options).Deserialize<T>(Options),
    };

    public static JsonElement Serialize(object? value) =>
        value is null ? JsonSerializer.SerializeToElement<object?>(null, Options) : JsonSerializer.SerializeToElement(value, value.GetType(), Options);
}
