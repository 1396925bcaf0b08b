using HotlineBot.Sqlite;
using Microsoft.Data.Sqlite;

namespace HotlineBot.WeChat.Storage;

/// <summary>
/// The send allowances in a SQLite file (the embedded default; it may share its file with <see cref="SqliteWeChatPushLog"/>):
/// one row per follower with both allowances (trigger time and sends left) and when the later window closes. Every
/// change reads and writes the row in one immediate transaction, so two connections, in this process or another,
/// never over-grant. Rows whose windows have both closed are deleted when a window opens (an index range scan).
/// </summary>
public sealed class SqliteWeChatSendWindow : IWeChatSendWindow, IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS wechat_send_window (
            open_id          TEXT PRIMARY KEY NOT NULL,
            message_at       INTEGER,
            message_left     INTEGER NOT NULL DEFAULT 0,
            interaction_at   INTEGER,
            interaction_left INTEGER NOT NULL DEFAULT 0,
            expires_at       INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS wechat_send_window_expires_at ON wechat_send_window (expires_at);
        """;

    private readonly SqliteDatabase _database;

    /// <param name="path">The database file (for example <c>data/wechat.db</c>); it and its directory are created on first use.</param>
    public SqliteWeChatSendWindow(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _database = new SqliteDatabase(path, Schema);
    }

    public async Task OpenAsync(string openId, WeChatTrigger trigger, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(openId);
        var (column, quota, window) = trigger switch
        {
            WeChatTrigger.Message => ("message", WeChatQuota.MessageSends, WeChatQuota.MessageWindow),
            WeChatTrigger.Interaction => ("interaction", WeChatQuota.InteractionSends, WeChatQuota.InteractionWindow),
            _ => throw new ArgumentOutOfRangeException(nameof(trigger), trigger, null),
        };
        var atMilliseconds = at.ToUnixTimeMilliseconds();
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using (var sweep = Command(transaction, "DELETE FROM wechat_send_window WHERE expires_at <= @at"))
        {
            sweep.Parameters.AddWithValue("@at", atMilliseconds);
            await sweep.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // Windows only move forward, so the row closes when the later of its old and new window does.
        await using (var open = Command(transaction, $"""
            INSERT INTO wechat_send_window (open_id, {column}_at, {column}_left, expires_at) VALUES (@openId, @at, @quota, @expiresAt)
            ON CONFLICT (open_id) DO UPDATE SET
                {column}_at = excluded.{column}_at,
                {column}_left = excluded.{column}_left,
                expires_at = MAX(expires_at, excluded.expires_at)
            WHERE {column}_at IS NULL OR {column}_at <= excluded.{column}_at
            """))
        {
            open.Parameters.AddWithValue("@openId", openId);
            open.Parameters.AddWithValue("@at", atMilliseconds);
            open.Parameters.AddWithValue("@quota", quota);
            open.Parameters.AddWithValue("@expiresAt", (at + window).ToUnixTimeMilliseconds());
            await open.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> ReserveAsync(string openId, int wanted, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(openId);
        ArgumentOutOfRangeException.ThrowIfNegative(wanted);
        var granted = 0;
        await ChangeAsync(openId, now, allowances =>
        {
            var fromInteraction = Math.Min(wanted, allowances.InteractionLeft);
            var fromMessage = Math.Min(wanted - fromInteraction, allowances.MessageLeft);
            granted = fromInteraction + fromMessage;
            return (allowances.MessageLeft - fromMessage, allowances.InteractionLeft - fromInteraction);
        }, cancellationToken).ConfigureAwait(false);
        return granted;
    }

    public Task ReleaseAsync(string openId, int count, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(openId);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return ChangeAsync(openId, now, allowances =>
        {
            var toMessage = Math.Min(count, allowances.MessageRoom);
            var toInteraction = Math.Min(count - toMessage, allowances.InteractionRoom);
            return (allowances.MessageLeft + toMessage, allowances.InteractionLeft + toInteraction);
        }, cancellationToken);
    }

    /// <summary>Closes the pooled connections to the file.</summary>
    public void Dispose() => _database.ClearPool();

    private static SqliteCommand Command(SqliteTransaction transaction, string text)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = text;
        return command;
    }

    /// <summary>
    /// Reads the follower's open allowances at <paramref name="now"/> (a closed one counts as none left and is left as
    /// it is) and writes back what <paramref name="change"/> makes of them, in one immediate transaction.
    /// </summary>
    private async Task ChangeAsync(string openId, DateTimeOffset now, Func<Allowances, (int MessageLeft, int InteractionLeft)> change, CancellationToken cancellationToken)
    {
        var nowMilliseconds = now.ToUnixTimeMilliseconds();
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        Allowances allowances;
        await using (var read = Command(transaction, """
            SELECT
                CASE WHEN message_at + @messageWindow > @now THEN message_left END,
                CASE WHEN interaction_at + @interactionWindow > @now THEN interaction_left END
            FROM wechat_send_window WHERE open_id = @openId
            """))
        {
            read.Parameters.AddWithValue("@openId", openId);
            read.Parameters.AddWithValue("@now", nowMilliseconds);
            read.Parameters.AddWithValue("@messageWindow", (long)WeChatQuota.MessageWindow.TotalMilliseconds);
            read.Parameters.AddWithValue("@interactionWindow", (long)WeChatQuota.InteractionWindow.TotalMilliseconds);
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            allowances = new Allowances(
                reader.IsDBNull(0) ? null : reader.GetInt32(0),
                reader.IsDBNull(1) ? null : reader.GetInt32(1));
        }

        var (messageLeft, interactionLeft) = change(allowances);
        await using (var write = Command(transaction, """
            UPDATE wechat_send_window SET
                message_left = COALESCE(@messageLeft, message_left),
                interaction_left = COALESCE(@interactionLeft, interaction_left)
            WHERE open_id = @openId
            """))
        {
            write.Parameters.AddWithValue("@openId", openId);
            write.Parameters.AddWithValue("@messageLeft", allowances.MessageOpen ? (object)messageLeft : DBNull.Value);
            write.Parameters.AddWithValue("@interactionLeft", allowances.InteractionOpen ? (object)interactionLeft : DBNull.Value);
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One follower's allowances as read: null where the window is closed (or never opened).</summary>
    private sealed record Allowances(int? OpenMessageLeft, int? OpenInteractionLeft)
    {
        public bool MessageOpen => OpenMessageLeft is not null;

        public bool InteractionOpen => OpenInteractionLeft is not null;

        /// <summary>Sends left in the Message allowance; none while closed.</summary>
        public int MessageLeft => OpenMessageLeft ?? 0;

        /// <summary>Sends left in the Interaction allowance; none while closed.</summary>
        public int InteractionLeft => OpenInteractionLeft ?? 0;

        /// <summary>Sends that may be given back to the Message allowance; none while closed.</summary>
        public int MessageRoom => MessageOpen ? WeChatQuota.MessageSends - MessageLeft : 0;

        /// <summary>Sends that may be given back to the Interaction allowance; none while closed.</summary>
        public int InteractionRoom => InteractionOpen ? WeChatQuota.InteractionSends - InteractionLeft : 0;
    }
}
