using System.Text.Json.Serialization;

namespace HotlineBot.Dialogs.Replies;

/// <summary>
/// <c>channelData.hotline</c> on every message the bot sends: what kind of reply it is, and for
/// answers the entry and the search confidence; <c>caseId</c> when the reply reports an opened case.
/// </summary>
/// <param name="Kind">One of <see cref="ReplyKinds"/>.</param>
/// <param name="EntryId">The knowledge-base entry answered with.</param>
/// <param name="Confidence">The search confidence, 0..1.</param>
/// <param name="CaseId">The case this reply opened or reports on.</param>
public sealed record HotlineMetadata(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("entryId")] string? EntryId = null,
    [property: JsonPropertyName("confidence")] double? Confidence = null,
    [property: JsonPropertyName("caseId")] string? CaseId = null)
{
    /// <summary>The property of <c>channelData</c> that holds the metadata.</summary>
    public const string ChannelDataProperty = "hotline";
}
