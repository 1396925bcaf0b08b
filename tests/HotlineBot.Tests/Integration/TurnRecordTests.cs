using Microsoft.Data.Sqlite;

namespace HotlineBot.Tests.Integration;

/// <summary>Every turn through /api/messages lands in turns.db under the host's data directory, personal numbers masked.</summary>
public sealed class TurnRecordTests(HotlineHostFixture fixture) : IClassFixture<HotlineHostFixture>
{
    private static readonly TimeSpan WriterPatience = TimeSpan.FromSeconds(5);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private sealed record Row(string Question, string Kind, string? EntryId, double? Confidence, string UserHash);

    [Fact]
    public async Task Turns_AreRecordedInTurnsDb_WithTheirKinds_AndThePhoneNumberMasked()
    {
        var conversationId = BotClient.NewConversationId();
        string[] questions = ["周末加班工资怎么算", "仓库起火了里面还有人", "明天天气怎么样", "老板欠我工资不给，我的电话13812348000"];
        var kinds = new List<string?>();
        foreach (var question in questions)
        {
            var replies = await BotClient.ExchangeAsync(fixture.Host.Client, BotClient.Message(question, conversationId), Cancellation);
            kinds.Add(BotClient.Kind(BotClient.Messages(replies)[0]));
        }

        var rows = await WaitForRowsAsync(conversationId, questions.Length);

        Assert.Equal(questions.Length, rows.Count);
        Assert.Equal(kinds, rows.Select(r => (string?)r.Kind));
        Assert.Equal("周末加班工资怎么算", rows[0].Question);
        Assert.Equal("answer", rows[0].Kind);
        Assert.False(string.IsNullOrEmpty(rows[0].EntryId));
        Assert.InRange(rows[0].Confidence ?? -1, 0, 1);
        Assert.Equal("emergency", rows[1].Kind);
        Assert.NotEqual("answer", rows[2].Kind);
        Assert.Contains("138****8000", rows[3].Question, StringComparison.Ordinal);
        Assert.DoesNotContain("13812348000", rows[3].Question, StringComparison.Ordinal);
        Assert.All(rows, r => Assert.DoesNotContain(BotClient.UserId(conversationId), r.UserHash, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PhoneNumber_IsStoredMasked_InTurnsDb()
    {
        var conversationId = BotClient.NewConversationId();

        await BotClient.ExchangeAsync(fixture.Host.Client, BotClient.Message("我的电话13812348000", conversationId), Cancellation);

        var row = Assert.Single(await WaitForRowsAsync(conversationId, 1));
        Assert.Equal("我的电话138****8000", row.Question);
        Assert.DoesNotContain(ReadWholeDatabaseText(), t => t.Contains("13812348000", StringComparison.Ordinal));
    }

    /// <summary>The conversation's rows, polling while the background writer catches up (up to 5 s).</summary>
    private async Task<List<Row>> WaitForRowsAsync(string conversationId, int expected)
    {
        var deadline = DateTime.UtcNow + WriterPatience;
        while (true)
        {
            var rows = File.Exists(DatabasePath) ? ReadRows(conversationId) : [];
            if (rows.Count >= expected || DateTime.UtcNow > deadline)
            {
                return rows;
            }

            await Task.Delay(100, Cancellation);
        }
    }

    private string DatabasePath => Path.Combine(fixture.DataDirectory, "turns.db");

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }

    private List<Row> ReadRows(string conversationId)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT question, kind, entry_id, confidence, user_hash FROM turns WHERE conversation = $conversation ORDER BY id";
        command.Parameters.AddWithValue("$conversation", conversationId);
        using var reader = command.ExecuteReader();
        var rows = new List<Row>();
        while (reader.Read())
        {
            rows.Add(new Row(
                reader.GetString(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetDouble(3),
                reader.GetString(4)));
        }

        return rows;
    }

    /// <summary>Every text value of every row, whatever the column.</summary>
    private List<string> ReadWholeDatabaseText()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM turns";
        using var reader = command.ExecuteReader();
        var texts = new List<string>();
        while (reader.Read())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                if (!reader.IsDBNull(i) && reader.GetValue(i) is string text)
                {
                    texts.Add(text);
                }
            }
        }

        return texts;
    }
}
