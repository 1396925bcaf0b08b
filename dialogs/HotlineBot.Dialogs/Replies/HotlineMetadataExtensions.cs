using System.Text.Json;
using HotlineBot.BotFramework.Schema;

namespace HotlineBot.Dialogs.Replies;

/// <summary>Writes and reads <c>channelData.hotline</c> on an activity (System.Text.Json).</summary>
public static class HotlineMetadataExtensions
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Sets <c>channelData.hotline</c>, keeping whatever else channelData already holds.</summary>
    public static Activity WithHotlineMetadata(this Activity activity, HotlineMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(metadata);
        var channelData = activity.ChannelData is { ValueKind: JsonValueKind.Object } existing
            ? JsonSerializer.SerializeToNode(existing)!.AsObject()
            : [];
        channelData[HotlineMetadata.ChannelDataProperty] = JsonSerializer.SerializeToNode(metadata, Json);
        activity.ChannelData = JsonSerializer.SerializeToElement(channelData);
        return activity;
    }

    /// <summary>The activity's <c>channelData.hotline</c>, or null when it has none (or it has no kind).</summary>
    public static HotlineMetadata? GetHotlineMetadata(this Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (activity.ChannelData is not { ValueKind: JsonValueKind.Object } channelData
            || !channelData.TryGetProperty(HotlineMetadata.ChannelDataProperty, out var hotline)
            || hotline.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        try
        {
            var metadata = hotline.Deserialize<HotlineMetadata>(Json);
            return string.IsNullOrEmpty(metadata?.Kind) ? null : metadata;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
