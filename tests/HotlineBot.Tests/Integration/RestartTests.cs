using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace HotlineBot.Tests.Integration;

/// <summary>The embedded default keeps its state in SQLite files under the data directory: stopping the host loses nothing.</summary>
public sealed class RestartTests : IDisposable
{
    private readonly string _dataDirectory = TempDataDirectory.Create();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose() => TempDataDirectory.Delete(_dataDirectory);

    [Fact]
    public async Task SecondHost_StartsHealthy_OnTheSameDataDirectory_AndKeepsTheFirstHostsTurns()
    {
        var conversationId = BotClient.NewConversationId();
        await using (var first = await HotlineHost.StartAsync(_dataDirectory, Cancellation))
        {
            var replies = await BotClient.ExchangeAsync(first.Client, BotClient.Message("周末加班工资怎么算", conversationId), Cancellation);
            Assert.Contains(replies, r => BotClient.Kind(r) == "answer");
        }

        // Stopped: the SQLite files stay, and the turn written before the stop is in them.
        Assert.True(File.Exists(Path.Combine(_dataDirectory, "turns.db")), "turns.db is missing after stop");
        Assert.True(File.Exists(Path.Combine(_dataDirectory, "state.db")), "state.db is missing after stop");
        Assert.Equal(1, CountTurns(conversationId));

        await using (var second = await HotlineHost.StartAsync(_dataDirectory, Cancellation))
        {
            using var health = await second.Client.GetAsync(new Uri("/healthz", UriKind.Relative), Cancellation);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal("ok", (string?)JsonNode.Parse(await health.Content.ReadAsStringAsync(Cancellation))?["status"]);

            var again = await BotClient.ExchangeAsync(second.Client, BotClient.Message("周末加班工资怎么算", conversationId), Cancellation);
            Assert.Contains(again, r => BotClient.Kind(r) == "answer");
        }

        Assert.Equal(2, CountTurns(conversationId));
    }

    private long CountTurns(string conversationId)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_dataDirectory, "turns.db"),
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
        }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM turns WHERE conversation = $conversation";
        command.Parameters.AddWithValue("$conversation", conversationId);
        return (long)command.ExecuteScalar()!;
    }
}
