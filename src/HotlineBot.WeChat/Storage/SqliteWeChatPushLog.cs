using HotlineBot.Sqlite;
using Microsoft.Data.Sqlite;

namespace HotlineBot.WeChat.Storage;

/// <summary>
/// The push log in a SQLite file (the embedded default; it may share its file with <see cref="SqliteWeChatSendWindow"/>):
/// one row per push key with its claim time and reply. A claim is one upsert in an immediate transaction, so of
/// several deliveries, in this process or another, exactly one inserts the row. Rows older than the retention count
/// as absent and are swept on a claim, at most once a minute. Thread-safe: every call uses its own pooled connection.
/// </summary>
public sealed class SqliteWeChatPushLog : IWeChatPushLog, IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS wechat_push_log (
            key        TEXT PRIMARY KEY NOT NULL,
            claimed_at INTEGER NOT NULL,
            reply      TEXT);
        CREATE INDEX IF NOT EXISTS wechat_push_log_claimed_at ON wechat_push_log (claimed_at);
        """;

    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;
    private readonly TimeSpan _retention;
    private long _nextSweep = long.MinValue;

    /// <param name="path">The database file (for example <c>data/wechat.db</c>); it and its directory are created on first use.</param>
    /// <param name="time">The clock claims are stamped with.</param>
    /// <param name="retention">How long a push is remembered; <see cref="IWeChatPushLog.Retention"/> unless a test says otherwise.</param>
    public SqliteWeChatPushLog(string path, TimeProvider? time = null, TimeSpan? retention = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _database = new SqliteDatabase(path, Schema);
        _time = time ?? TimeProvider.System;
        _retention = retention ?? IWeChatPushLog.Retention;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_retention, TimeSpan.Zero, nameof(retention));
    }

    public async Task<PushClaim> ClaimAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var expiredBefore = now - (long)_retention.TotalMilliseconds;
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using (var claim = connection.CreateCommand())
        {
            claim.Transaction = transaction;
            // A row past the retention is a push forgotten: claiming it starts afresh.
            claim.CommandText = """
                INSERT INTO wechat_push_log (key, claimed_at, reply) VALUES (@key, @now, NULL)
                ON CONFLICT (key) DO UPDATE SET claimed_at = excluded.claimed_at, reply = NULL
                WHERE claimed_at <= @expiredBefore
                """;
            claim.Parameters.AddWithValue("@key", key);
            claim.Parameters.AddWithValue("@now", now);
            claim.Parameters.AddWithValue("@expiredBefore", expiredBefore);
            if (await claim.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
            {
                await SweepAsync(transaction, now, expiredBefore, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return new PushClaim(true, null);
            }
        }

        await using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT reply FROM wechat_push_log WHERE key = @key";
        read.Parameters.AddWithValue("@key", key);
        var reply = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new PushClaim(false, reply as string);
    }

    public async Task CompleteAsync(string key, string reply, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(reply);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        // A push completed without a claim row (swept meanwhile) is still remembered as answered.
        command.CommandText = """
            INSERT INTO wechat_push_log (key, claimed_at, reply) VALUES (@key, @now, @reply)
            ON CONFLICT (key) DO UPDATE SET reply = excluded.reply WHERE reply IS NULL
            """;
        command.Parameters.AddWithValue("@key", key);
        command.Parameters.AddWithValue("@now", _time.GetUtcNow().ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("@reply", reply);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the pooled connections to the file.</summary>
    public void Dispose() => _database.ClearPool();

    /// <summary>Deletes the forgotten pushes, in the claim's transaction, at most once per <see cref="SweepInterval"/> per instance.</summary>
    private async Task SweepAsync(SqliteTransaction transaction, long now, long expiredBefore, CancellationToken cancellationToken)
    {
        var due = Interlocked.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + (long)SweepInterval.TotalMilliseconds, due) != due)
        {
            return;
        }

        await using var sweep = transaction.Connection!.CreateCommand();
        sweep.Transaction = transaction;
        sweep.CommandText = "DELETE FROM wechat_push_log WHERE claimed_at <= @expiredBefore";
        sweep.Parameters.AddWithValue("@expiredBefore", expiredBefore);
        await sweep.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
