using System.Threading.Channels;
using HotlineBot.Sqlite;
using Microsoft.Data.Sqlite;

namespace HotlineBot.Storage;

/// <summary>
/// An append-only SQLite table fed through a queue: one background writer inserts the queued rows
/// in batches, one transaction each, so that busy turns never wait on SQLite's single write lock.
/// Rows are accepted at once; <see cref="FlushAsync"/> waits for them, and disposing flushes.
/// </summary>
/// <typeparam name="T">The row type; <c>bind</c> turns one into the insert's parameter values, in order.</typeparam>
public sealed partial class SqliteAppendLog<T> : IAsyncDisposable, IDisposable
{
    private const int MaxBatch = 256;

    private readonly SqliteDatabase _database;
    private readonly Channel<T> _queue = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string _insert;
    private readonly string[] _parameters;
    private readonly Func<T, object?[]> _bind;
    private readonly ILogger _logger;
    private readonly Task _writer;
    private int _pending;

    /// <param name="path">The SQLite file (its folder is created).</param>
    /// <param name="schema">Statements that create the table and indexes if they do not exist.</param>
    /// <param name="insert">The INSERT, with parameters named in <paramref name="parameters"/>.</param>
    /// <param name="parameters">The insert's parameter names, in the order <paramref name="bind"/> gives values.</param>
    /// <param name="bind">A row's parameter values (null for SQL NULL).</param>
    /// <param name="logger">Where a failed batch is reported.</param>
    public SqliteAppendLog(string path, string schema, string insert, string[] parameters, Func<T, object?[]> bind, ILogger logger)
    {
        _database = new SqliteDatabase(path, schema);
        _insert = insert;
        _parameters = parameters;
        _bind = bind;
        _logger = logger;
        _writer = Task.Run(WriteLoopAsync);
    }

    public SqliteConnection Open() => _database.Open();

    /// <summary>Queues a row; it reaches the file shortly (or at <see cref="FlushAsync"/>).</summary>
    public void Append(T row)
    {
        Interlocked.Increment(ref _pending);
        if (!_queue.Writer.TryWrite(row))
        {
            Interlocked.Decrement(ref _pending);
            throw new ObjectDisposedException(nameof(SqliteAppendLog<T>));
        }
    }

    /// <summary>Waits until every row appended so far is in the file.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        while (Volatile.Read(ref _pending) > 0)
        {
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task WriteLoopAsync()
    {
        var batch = new List<T>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var row))
            {
                batch.Add(row);
            }

            try
            {
                await WriteAsync(batch).ConfigureAwait(false);
            }
            catch (SqliteException e)
            {
                LogWriteFailed(_logger, e, batch.Count);
            }

            Interlocked.Add(ref _pending, -batch.Count);
            batch.Clear();
        }
    }

    private async Task WriteAsync(List<T> batch)
    {
        await using var connection = Open();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync().ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = _insert;
        var parameters = _parameters.Select(name => command.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
        foreach (var row in batch)
        {
            var values = _bind(row);
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = values[i] ?? DBNull.Value;
            }

            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        await transaction.CommitAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write {Count} rows.")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count);
}
