using System.Text;
using Microsoft.Data.Sqlite;

namespace HotlineBot.Tests.Integration;

/// <summary>Personal numbers are masked in everything the host keeps: no file under the data directory holds them raw.</summary>
public sealed class PersonalDataTests : IDisposable
{
    private const string Phone = "13812348000";

    private readonly string _dataDirectory = TempDataDirectory.Create();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose() => TempDataDirectory.Delete(_dataDirectory);

    [Fact]
    public async Task DataDirectory_HoldsNoRawPhoneNumber_AfterTurnsThatContainOne()
    {
        await using (var host = await HotlineHost.StartAsync(_dataDirectory, Cancellation))
        {
            var conversationId = BotClient.NewConversationId();
            await BotClient.ExchangeAsync(host.Client, BotClient.Message("我的电话" + Phone, conversationId), Cancellation);
            await BotClient.ExchangeAsync(host.Client, BotClient.Message("老板欠我工资不给，回电 138-1234-8000", conversationId), Cancellation);
        }

        // Stopped: every queued record is written. Idle pooled connections are closed too, so each WAL is
        // checkpointed and the files no longer change while they are read.
        SqliteConnection.ClearAllPools();
        var files = Directory.GetFiles(_dataDirectory, "*", SearchOption.AllDirectories)
            .Select(f => (Name: Path.GetFileName(f), Bytes: File.ReadAllBytes(f)))
            .ToList();
        Assert.Contains(files, f => f.Name == "turns.db");
        Assert.Contains(files, f => Contains(f.Bytes, Encoding.UTF8.GetBytes("138****8000")));
        foreach (var (name, bytes) in files)
        {
            Assert.False(Contains(bytes, Encoding.UTF8.GetBytes(Phone)), $"{name} holds the raw phone number");
            Assert.False(Contains(bytes, Encoding.UTF8.GetBytes("138-1234-8000")), $"{name} holds the raw phone number");
        }
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
