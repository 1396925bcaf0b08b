using HotlineBot.BotFramework.State;
using HotlineBot.BotFramework.Tests.State;
using HotlineBot.Storage;
using Microsoft.Data.Sqlite;

namespace HotlineBot.Tests.Storage;

/// <summary>The bot state's file in a temporary directory.</summary>
public static class TemporaryStateDatabase
{
    public static TemporaryDatabase<SqliteStorage> Create() => new("state.db", (path, _) => new SqliteStorage(path));
}

/// <summary>The shared storage contract, on a real SQLite file.</summary>
public sealed class SqliteStorageContractTests : StorageContractTests, IDisposable
{
    private readonly TemporaryDatabase<SqliteStorage> _database = TemporaryStateDatabase.Create();

    protected override IStorage CreateStorage() => _database.Open();

    public void Dispose() => _database.Dispose();
}

public sealed class SqliteStorageTests : IDisposable
{
    private readonly TemporaryDatabase<SqliteStorage> _database = TemporaryStateDatabase.Create();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Restart_ANewStorageOnTheSameFile_SeesTheData()
    {
        var before = _database.Open();
        var changes = new Dictionary<string, StoreItem>
        {
            ["webchat/conversations/abc"] = new(Json("""{"DialogState":{"dialogStack":[{"id":"handoff","state":{"stepIndex":1}}]}}""")),
        };
        await before.WriteAsync(changes, Ct);
        before.Dispose();

        var after = _database.Open();
        var found = await after.ReadAsync(["webchat/conversations/abc"], Ct);

        var item = Assert.Single(found).Value;
        Assert.Equal(changes["webchat/conversations/abc"].ETag, item.ETag);
        Assert.Equal("handoff", item.Value.GetProperty("DialogState").GetProperty("dialogStack")[0].GetProperty("id").GetString());

        // The ETag read after the restart still guards the item.
        await after.WriteAsync(new Dictionary<string, StoreItem> { ["webchat/conversations/abc"] = new(Json("{}"), item.ETag) }, Ct);
        await Assert.ThrowsAsync<StorageConcurrencyException>(() =>
            after.WriteAsync(new Dictionary<string, StoreItem> { ["webchat/conversations/abc"] = new(Json("{}"), item.ETag) }, Ct));
    }

    [Fact]
    public async Task FirstUse_CreatesTheDirectoryAndTable_InWalMode()
    {
        Assert.False(Directory.Exists(Path.GetDirectoryName(_database.FilePath)));

        await _database.Open().ReadAsync(["anything"], Ct);

        Assert.True(File.Exists(_database.FilePath));
        await using var connection = new SqliteConnection($"Data Source={_database.FilePath};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode; SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'bot_state';";
        await using var reader = await command.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        Assert.Equal("wal", reader.GetString(0));
        Assert.True(await reader.NextResultAsync(Ct));
        Assert.True(await reader.ReadAsync(Ct));
        Assert.Equal("bot_state", reader.GetString(0));
    }

    [Fact]
    public async Task TwoStoragesOnOneFile_WithTheSameETag_ExactlyOneWins()
    {
        // Two hosts (or two instances of one) writing the same conversation.
        var first = _database.Open();
        var second = _database.Open();
        await first.WriteAsync(new Dictionary<string, StoreItem> { ["k"] = new(Json("0")) }, Ct);
        var read = (await second.ReadAsync(["k"], Ct))["k"];

        var outcomes = await Task.WhenAll(
            Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
            {
                var storage = i % 2 == 0 ? first : second;
                try
                {
                    await storage.WriteAsync(new Dictionary<string, StoreItem> { ["k"] = new(Json(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), read.ETag) }, Ct);
                    return true;
                }
                catch (StorageConcurrencyException)
                {
                    return false;
                }
            }, Ct)));

        Assert.Single(outcomes, won => won);
    }

    [Fact]
    public async Task Storage_KeepsJsonTextAsWritten_ForOtherToolsToRead()
    {
        var storage = _database.Open();
        await storage.WriteAsync(new Dictionary<string, StoreItem> { ["k"] = new(Json("""{"text":"工资被拖欠"}""")) }, Ct);

        await using var connection = new SqliteConnection($"Data Source={_database.FilePath};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT json_extract(value, '$.text') FROM bot_state WHERE key = 'k'";
        Assert.Equal("工资被拖欠", await command.ExecuteScalarAsync(Ct));
    }

    public void Dispose() => _database.Dispose();

    private static System.Text.Json.JsonElement Json(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
