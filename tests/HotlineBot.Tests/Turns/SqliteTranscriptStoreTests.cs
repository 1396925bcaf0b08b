using System.Text.Json;
using HotlineBot.BotFramework.Schema;
using HotlineBot.Turns;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotlineBot.Tests.Turns;

public sealed class SqliteTranscriptStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "hotlinebot-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static Activity Message(string conversation, string role, string text, string? kind = null) => new()
    {
        Type = ActivityTypes.Message,
        ChannelId = "webchat",
        Conversation = new ConversationAccount { Id = conversation },
        From = new ChannelAccount { Id = role + "-1", Role = role },
        Text = text,
        Timestamp = DateTimeOffset.UtcNow,
        ChannelData = kind is null ? null : JsonSerializer.SerializeToElement(new { hotline = new { kind } }),
    };

    [Fact]
    public async Task ReadAsync_ReturnsTheConversationInOrder_WithNumbersMaskedAndKinds()
    {
        var path = Path.Combine(_directory, "transcripts.db");
        await using (var store = new SqliteTranscriptStore(path, NullLogger<SqliteTranscriptStore>.Instance))
        {
            await store.LogActivityAsync(Message("c1", RoleTypes.User, "老板欠薪，我电话13812348000，身份证110101199003071234"), TestContext.Current.CancellationToken);
            await store.LogActivityAsync(Message("c2", RoleTypes.User, "另一个对话"), TestContext.Current.CancellationToken);
            await store.LogActivityAsync(Message("c1", RoleTypes.Bot, "可以申请劳动仲裁", "answer"), TestContext.Current.CancellationToken);
        }

        await using var reopened = new SqliteTranscriptStore(path, NullLogger<SqliteTranscriptStore>.Instance);
        var lines = await reopened.ReadAsync("webchat", "c1", TestContext.Current.CancellationToken);

        Assert.Equal([RoleTypes.User, RoleTypes.Bot], lines.Select(l => l.Role));
        Assert.Contains("138****8000", lines[0].Text, StringComparison.Ordinal);
        Assert.DoesNotContain("13812348000", lines[0].Text, StringComparison.Ordinal);
        Assert.DoesNotContain("110101199003071234", lines[0].Text, StringComparison.Ordinal);
        Assert.Null(lines[0].Kind);
        Assert.Equal("answer", lines[1].Kind);
    }
}
