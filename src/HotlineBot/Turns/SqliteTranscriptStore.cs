using System.Globalization;
using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Schema;
using HotlineBot.Storage;

namespace HotlineBot.Turns;

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

    private readonly SqliteAppendLog<ConversationLine> _log;

    public SqliteTranscriptStore(string path, ILogger<SqliteTranscriptStore> logger) =>
        _log = new SqliteAppendLog<ConversationLine>(path, Schema, Insert, Parameters, Bind, logger);

    /// <summary>Queues the activity's masked line; it reaches the file shortly (or at <see cref="FlushAsync"/>).</summary>
    public Task LogActivityAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (TranscriptLines.From(activity) is { } line)
        {
            _log.Append(line);
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
        return [.. lines.Select(line => TranscriptLines.ToActivity(line, channelId, conversationId))];
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

    private static object?[] Bind(ConversationLine row) =>
    [
        row.ChannelId, row.ConversationId, row.Line.Timestamp.ToString("O", CultureInfo.InvariantCulture),
        row.Line.Role, row.Line.Type, row.Line.Text, row.Line.Kind,
    ];
}
