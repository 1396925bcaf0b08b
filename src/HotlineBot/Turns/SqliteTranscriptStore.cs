using System.Globalization;
using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Schema;
using HotlineBot.Cases;
using HotlineBot.Dialogs.Replies;
using HotlineBot.Storage;

namespace HotlineBot.Turns;

/// <summary>One line of a conversation's transcript, as an operator reads it (personal numbers masked).</summary>
public sealed record TranscriptLine(DateTimeOffset Timestamp, string Role, string Type, string Text, string? Kind);

/// <summary>
/// Conversation transcripts in a SQLite file under the data directory: who said what and, for the
/// bot's messages, the reply kind. Phone and ID numbers are masked before anything is stored.
/// </summary>
public sealed class SqliteTranscriptStore : ITranscriptStore, IAsyncDisposable, IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS transcript (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            channel TEXT NOT NULL,
            conversation TEXT NOT NULL,
            at TEXT NOT NULL,
            role TEXT NOT NULL,
            type TEXT NOT NULL,
            text TEXT NOT NULL,
            kind TEXT);
        CREATE INDEX IF NOT EXISTS transcript_conversation ON transcript (channel, conversation, id);
        """;

    private const string Insert = """
        INSERT INTO transcript (channel, conversation, at, role, type, text, kind)
        VALUES ($channel, $conversation, $at, $role, $type, $text, $kind)
        """;

    private static readonly string[] Parameters = ["$channel", "$conversation", "$at", "$role", "$type", "$text", "$kind"];

    private readonly SqliteAppendLog<Activity> _log;

    public SqliteTranscriptStore(string path, ILogger<SqliteTranscriptStore> logger) =>
        _log = new SqliteAppendLog<Activity>(path, Schema, Insert, Parameters, Bind, logger);

    public Task LogActivityAsync(Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (activity.ChannelId is { Length: > 0 } && activity.Conversation?.Id is { Length: > 0 })
        {
            _log.Append(activity);
        }

        return Task.CompletedTask;
    }

    public Task FlushAsync(CancellationToken cancellationToken) => _log.FlushAsync(cancellationToken);

    public ValueTask DisposeAsync() => _log.DisposeAsync();

    public void Dispose() => _log.Dispose();

    /// <summary>A conversation's transcript, oldest first.</summary>
    public Task<IReadOnlyList<TranscriptLine>> ReadAsync(string channelId, string conversationId, CancellationToken cancellationToken) =>
        ReadAsync(channelId, conversationId, int.MaxValue, cancellationToken);

    /// <summary>
    /// The last <paramref name="max"/> lines as activities (who, what, when, and the reply kind in
    /// <c>channelData.hotline</c>), after the lines still queued are written.
    /// </summary>
    public async Task<IReadOnlyList<Activity>> GetTranscriptActivitiesAsync(string channelId, string conversationId, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        var lines = await ReadAsync(channelId, conversationId, max, cancellationToken).ConfigureAwait(false);
        return [.. lines.Select(line =>
        {
            var activity = new Activity
            {
                Type = line.Type,
                Timestamp = line.Timestamp,
                ChannelId = channelId,
                Conversation = new ConversationAccount { Id = conversationId },
                From = new ChannelAccount { Id = line.Role, Role = line.Role },
                Text = line.Text,
            };
            return line.Kind is null ? activity : activity.WithHotlineMetadata(new HotlineMetadata(line.Kind));
        })];
    }

    /// <summary>The last <paramref name="max"/> lines, oldest first.</summary>
    private async Task<IReadOnlyList<TranscriptLine>> ReadAsync(string channelId, string conversationId, int max, CancellationToken cancellationToken)
    {
        await using var connection = _log.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT at, role, type, text, kind FROM (
                SELECT id, at, role, type, text, kind FROM transcript
                WHERE channel = $channel AND conversation = $conversation ORDER BY id DESC LIMIT $max)
            ORDER BY id
            """;
        command.Parameters.AddWithValue("$channel", channelId);
        command.Parameters.AddWithValue("$conversation", conversationId);
        command.Parameters.AddWithValue("$max", max);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var lines = new List<TranscriptLine>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            lines.Add(new TranscriptLine(
                DateTimeOffset.Parse(reader.GetString(0), CultureInfo.InvariantCulture),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        return lines;
    }

    private static object?[] Bind(Activity activity) =>
    [
        activity.ChannelId, activity.Conversation!.Id,
        (activity.Timestamp ?? DateTimeOffset.UtcNow).ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
        activity.From?.Role ?? RoleTypes.User, activity.Type ?? string.Empty, PersonalData.Mask(activity.Text), activity.GetHotlineMetadata()?.Kind,
    ];
}
