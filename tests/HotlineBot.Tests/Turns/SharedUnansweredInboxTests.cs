using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HotlineBot.Redis;
using HotlineBot.Tests.Integration;
using HotlineBot.Turns;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Turns;

/// <summary>
/// Scaled out, the admins' unanswered inbox is one inbox: a question a worker asked on one instance shows on
/// another (the turn records are one Redis stream), and resolving it on one takes it off both.
/// </summary>
public sealed class SharedUnansweredInboxTests(RedisServer redis) : IDisposable
{
    private const string Inbox = "/api/knowledge/unanswered";
    private const string AdminUser = "chief";
    private const string AdminPassword = "Union12351Hotline";

    /// <summary>A question the knowledge base has no answer for (as in the single-host inbox tests).</summary>
    private const string Unanswerable = "宿舍停电了找谁";

    private readonly string _dataA = TempDataDirectory.Create();
    private readonly string _dataB = TempDataDirectory.Create();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        TempDataDirectory.Delete(_dataA);
        TempDataDirectory.Delete(_dataB);
    }

    [Fact]
    public async Task AQuestionAskedOnOneInstance_ShowsInAnothersInbox_AndResolvingOnOneResolvesForBoth()
    {
        _ = redis.Connection; // skips the test when there is no server
        var prefix = RedisServer.NewPrefix();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.Configuration,
            ["Hotline:Redis:Prefix"] = prefix,
            ["Hotline:Bootstrap:AdminUser"] = AdminUser,
            ["Hotline:Bootstrap:AdminPassword"] = AdminPassword,
        };
        await using var a = await HotlineHost.StartAsync(_dataA, settings, Cancellation);
        await using var b = await HotlineHost.StartAsync(_dataB, settings, Cancellation);

        // A worker on instance A asks what the bot cannot answer (with a phone number, which must not be kept).
        await SayAsync(a, BotClient.NewConversationId(), Unanswerable, "fallback");
        await SayAsync(a, BotClient.NewConversationId(), Unanswerable + "，我电话13812348000", "fallback");
        var answered = await SayAsync(a, BotClient.NewConversationId(), "加班费怎么算", "answer");
        var entryId = (string)answered["channelData"]!["hotline"]!["entryId"]!;
        // A writes its turn records in the background; the admin's request on B comes after they were sent.
        await a.Services.GetRequiredService<ITurnRecords>().FlushAsync(Cancellation);

        var adminOnB = await SignInAsync(b);
        var (status, inbox) = await ApiAsync(b, HttpMethod.Get, Inbox, adminOnB);
        Assert.Equal(HttpStatusCode.OK, status);
        var group = Assert.Single(inbox!["items"]!.AsArray(), i => ((string?)i!["wording"])?.StartsWith(Unanswerable, StringComparison.Ordinal) == true)!;
        Assert.True((int)group["count"]! == 2, group.ToJsonString());
        Assert.DoesNotContain("13812348000", inbox.ToJsonString(), StringComparison.Ordinal);
        var adminOnA = await SignInAsync(a);
        var (_, inboxOnA) = await ApiAsync(a, HttpMethod.Get, Inbox, adminOnA);
        Assert.Equal(inbox.ToJsonString(), inboxOnA!.ToJsonString());

        // The shared records hold masked text only.
        var stream = await redis.Connection.GetDatabase().StreamRangeAsync(new RedisKeys(prefix).Key("turns"));
        Assert.True(stream.Length >= 3);
        Assert.All(stream, e => Assert.DoesNotContain("13812348000", e["turn"].ToString(), StringComparison.Ordinal));

        // Resolved on B, the group leaves A's inbox too.
        var (resolved, body) = await ApiAsync(b, HttpMethod.Post, $"{Inbox}/{(string)group["id"]!}/resolve", adminOnB, new { entryId });
        Assert.Equal(HttpStatusCode.OK, resolved);
        Assert.Equal(2, (int)body!["resolved"]!);
        var (_, onA) = await ApiAsync(a, HttpMethod.Get, Inbox, adminOnA);
        Assert.DoesNotContain(onA!["items"]!.AsArray(), i => (string?)i!["id"] == (string)group["id"]!);
    }

    /// <summary>One worker turn through /api/messages (expectReplies): its single message reply, of the expected kind.</summary>
    private static async Task<JsonObject> SayAsync(HotlineHost host, string conversationId, string text, string expectedKind)
    {
        var reply = Assert.Single(BotClient.Messages(await BotClient.ExchangeAsync(host.Client, BotClient.Message(text, conversationId), Cancellation)));
        Assert.True(BotClient.Kind(reply) == expectedKind, $"“{text}” got {BotClient.Kind(reply)}: {reply["text"]}");
        return reply;
    }

    private static async Task<string> SignInAsync(HotlineHost host)
    {
        using var response = await host.Client.PostAsJsonAsync("/api/auth/token", new { username = AdminUser, password = AdminPassword }, Cancellation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancellation))!["token"]!;
    }

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> ApiAsync(HotlineHost host, HttpMethod method, string path, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await host.Client.SendAsync(request, Cancellation);
        var text = await response.Content.ReadAsStringAsync(Cancellation);
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null);
    }
}
