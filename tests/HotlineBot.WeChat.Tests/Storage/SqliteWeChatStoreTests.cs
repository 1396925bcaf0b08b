using HotlineBot.WeChat.Storage;
using Microsoft.Data.Sqlite;

namespace HotlineBot.WeChat.Tests.Storage;

/// <summary>The WeChat stores' shared file (<c>data/wechat.db</c>) in a temporary directory, removed with the stores opened on it.</summary>
public sealed class TemporaryWeChatDatabase : IDisposable
{
    private readonly List<IDisposable> _opened = [];

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "hotlinebot-tests", Guid.NewGuid().ToString("n"));

    /// <summary>Not created yet: the stores make the directory and the file on first use.</summary>
    public string FilePath => Path.Combine(Directory, "data", "wechat.db");

    public SqliteWeChatPushLog OpenPushLog(TimeProvider clock) => Track(new SqliteWeChatPushLog(FilePath, clock));

    public SqliteWeChatSendWindow OpenSendWindow() => Track(new SqliteWeChatSendWindow(FilePath));

    public void Dispose()
    {
        _opened.ForEach(store => store.Dispose());
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private T Track<T>(T store)
        where T : IDisposable
    {
        _opened.Add(store);
        return store;
    }
}

/// <summary>The push log contract on a real SQLite file, its clock moved past the retention.</summary>
public sealed class SqliteWeChatPushLogContractTests : WeChatPushLogContractTests, IDisposable
{
    private readonly TemporaryWeChatDatabase _database = new();
    private readonly TestClock _clock = new();

    protected override IWeChatPushLog Open() => _database.OpenPushLog(_clock);

    protected override Task PassRetentionAsync()
    {
        _clock.Advance(IWeChatPushLog.Retention + TimeSpan.FromMinutes(1));
        return Task.CompletedTask;
    }

    public void Dispose() => _database.Dispose();
}

/// <summary>The send window contract on a real SQLite file.</summary>
public sealed class SqliteWeChatSendWindowContractTests : WeChatSendWindowContractTests, IDisposable
{
    private readonly TemporaryWeChatDatabase _database = new();

    protected override IWeChatSendWindow Open() => _database.OpenSendWindow();

    public void Dispose() => _database.Dispose();
}

public sealed class SqliteWeChatPushLogAndSendWindowTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);

    private readonly TemporaryWeChatDatabase _database = new();
    private readonly TestClock _clock = new(T0);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Both_stores_share_one_file_and_a_restarted_host_sees_their_records()
    {
        var log = _database.OpenPushLog(_clock);
        var window = _database.OpenSendWindow();
        await Task.WhenAll(log.ClaimAsync("msg:1", Ct), window.OpenAsync("oUser", WeChatTrigger.Message, T0, Ct));
        await log.CompleteAsync("msg:1", "好的", Ct);
        await window.ReserveAsync("oUser", 2, T0.AddSeconds(1), Ct);
        log.Dispose();
        window.Dispose();

        Assert.Equal(new PushClaim(false, "好的"), await _database.OpenPushLog(_clock).ClaimAsync("msg:1", Ct));
        Assert.Equal(3, await _database.OpenSendWindow().ReserveAsync("oUser", 9, T0.AddSeconds(2), Ct));
        Assert.Equal(["wechat_push_log", "wechat_send_window"], await TablesAsync());
    }

    [Fact]
    public async Task Expired_pushes_are_deleted_by_a_later_claim()
    {
        var log = _database.OpenPushLog(_clock);
        await log.ClaimAsync("msg:old", Ct);
        _clock.Advance(IWeChatPushLog.Retention + TimeSpan.FromMinutes(1));

        await log.ClaimAsync("msg:new", Ct);

        Assert.Equal(["msg:new"], await ColumnAsync("SELECT key FROM wechat_push_log"));
    }

    [Fact]
    public async Task Followers_whose_windows_closed_are_deleted_when_another_window_opens()
    {
        var window = _database.OpenSendWindow();
        await window.OpenAsync("oGone", WeChatTrigger.Message, T0, Ct);
        await window.OpenAsync("oStill", WeChatTrigger.Message, T0.AddHours(1), Ct);

        await window.OpenAsync("oNew", WeChatTrigger.Interaction, T0 + WeChatQuota.MessageWindow, Ct);

        Assert.Equal(["oNew", "oStill"], await ColumnAsync("SELECT open_id FROM wechat_send_window"));
    }

    public void Dispose() => _database.Dispose();

    private Task<List<string>> TablesAsync() =>
        ColumnAsync("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'wechat%'");

    private async Task<List<string>> ColumnAsync(string query)
    {
        await using var connection = new SqliteConnection($"Data Source={_database.FilePath};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = query;
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var values = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            values.Add(reader.GetString(0));
        }

        return values.Order(StringComparer.Ordinal).ToList();
    }
}
