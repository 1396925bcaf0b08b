using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HotlineBot.Tests.DirectLine;
using HotlineBot.Tests.Integration;

namespace HotlineBot.Tests.ScaleOut;

/// <summary>
/// What a run had confirmed before Redis restarted: the checks afterwards look for every piece of it, so
/// "nothing confirmed is lost" means each one, not just that the host answers again.
/// </summary>
internal sealed record ConfirmedBeforeRestart(
    string AdminToken,
    string OperatorToken,
    string CaseConversationId,
    string CaseId,
    string PendingConversationId,
    ChatSession Chat,
    string KnowledgeId,
    string KnowledgeMarker);

/// <summary>
/// A scaled-out host (the real host on Kestrel, its shared state in the test redis-server under its own key
/// prefix) and the requests the restart tests make of it as a worker, an admin, an operator and the chat page.
/// Two of them on one prefix are two instances of one hotline.
/// </summary>
internal sealed class ScaledOutHost : IAsyncDisposable
{
    public const string AdminUser = "chief";
    public const string AdminPassword = "Union12351Hotline";
    public const string OperatorUser = "operator-li";
    public const string OperatorPassword = "Hotline12351Operator";

    /// <summary>The seeded question the knowledge edit changes the answer of (labour contracts, as in the knowledge API tests).</summary>
    public const string KnowledgeQuestion = "快递员电动车被偷了公司要赔吗";

    /// <summary>The handoff's callback phone, and how the bot shows it back.</summary>
    public const string Phone = "13812348000";
    public const string MaskedPhone = "138****8000";

    /// <summary>The worker's answer to "when may we call you back", the step the pending conversation waits at.</summary>
    public const string CallbackTime = "工作日下午";

    /// <summary>How long recovery may take before the test gives up (generous: a bound, not a timing claim).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly string _dataDirectory;

    private ScaledOutHost(HotlineHost host, string dataDirectory)
    {
        Host = host;
        _dataDirectory = dataDirectory;
    }

    public HotlineHost Host { get; }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>The settings a scaled-out deployment gives: the shared Redis, its key prefix, and the first admin.</summary>
    public static Dictionary<string, string?> Settings(string redisConfiguration, string prefix) => new()
    {
        ["ConnectionStrings:Redis"] = redisConfiguration,
        ["Hotline:Redis:Prefix"] = prefix,
        ["Hotline:Bootstrap:AdminUser"] = AdminUser,
        ["Hotline:Bootstrap:AdminPassword"] = AdminPassword,
    };

    /// <summary>Starts an instance on its own data directory (deleted on dispose) and waits until /healthz says 200.</summary>
    public static async Task<ScaledOutHost> StartAsync(RedisServer redis, string prefix)
    {
        var dataDirectory = TempDataDirectory.Create();
        try
        {
            return new ScaledOutHost(await HotlineHost.StartAsync(dataDirectory, Settings(redis.Configuration, prefix), Cancellation), dataDirectory);
        }
        catch
        {
            TempDataDirectory.Delete(dataDirectory);
            throw;
        }
    }

    /// <summary>
    /// The run before the restart: an operator account, an admin's knowledge edit (live on the bot), a worker
    /// conversation through the handoff to a confirmed case, a second one left waiting for the callback time,
    /// and a chat page's Direct Line token with its conversation started.
    /// </summary>
    public async Task<ConfirmedBeforeRestart> ConfirmARunAsync()
    {
        var admin = await SignInAsync(AdminUser, AdminPassword);
        using (var created = await SendAsync(HttpMethod.Post, "/api/accounts", admin, new { username = OperatorUser, password = OperatorPassword, role = "operator" }))
        {
            await ReadAsync(created, HttpStatusCode.Created);
        }

        var operatorToken = await SignInAsync(OperatorUser, OperatorPassword);

        var marker = "重启后仍在" + Guid.NewGuid().ToString("N")[..6];
        string knowledgeId;
        using (var edit = await SendAsync(HttpMethod.Post, "/api/knowledge", admin, new { question = KnowledgeQuestion + "？", answer = $"先报警，再看和公司的约定。{marker}", category = "labour-contract" }))
        {
            knowledgeId = (string)(await ReadAsync(edit, HttpStatusCode.Created))["id"]!;
        }

        Assert.Contains(marker, (string?)(await SayAsync(BotClient.NewConversationId(), KnowledgeQuestion, "answer"))["text"], StringComparison.Ordinal);

        var caseConversation = BotClient.NewConversationId();
        await GoToCallbackTimeAsync(caseConversation);
        var caseId = await ConfirmCaseAsync(caseConversation);

        var pendingConversation = BotClient.NewConversationId();
        await GoToCallbackTimeAsync(pendingConversation);

        var directLine = new DirectLineClient(Host.Client);
        var chat = await directLine.ChatTokenAsync(Cancellation);
        await directLine.StartAsync(chat.Token, Cancellation);

        return new ConfirmedBeforeRestart(admin, operatorToken, caseConversation, caseId, pendingConversation, chat, knowledgeId, marker);
    }

    /// <summary>
    /// Everything <paramref name="before"/> confirmed is still there, as this instance sees it: the tokens are
    /// accepted, the case is listed, both conversations go on where they were (the pending one to a new case
    /// numbered after the first), the knowledge edit is stored and answered, and the chat page's conversation answers.
    /// </summary>
    public async Task AssertNothingLostAsync(ConfirmedBeforeRestart before)
    {
        using (var stored = await SendAsync(HttpMethod.Get, $"/api/cases/{before.CaseId}", before.OperatorToken))
        {
            Assert.Equal(before.CaseId, (string?)(await ReadAsync(stored, HttpStatusCode.OK))["id"]);
        }

        var status = await SayAsync(before.CaseConversationId, "我的工单", "status");
        Assert.Contains(before.CaseId, (string?)status["text"], StringComparison.Ordinal);

        using (var entry = await SendAsync(HttpMethod.Get, $"/api/knowledge/{before.KnowledgeId}", before.AdminToken))
        {
            Assert.Contains(before.KnowledgeMarker, (string?)(await ReadAsync(entry, HttpStatusCode.OK))["answer"], StringComparison.Ordinal);
        }

        var answer = await SayAsync(BotClient.NewConversationId(), KnowledgeQuestion, "answer");
        Assert.Contains(before.KnowledgeMarker, (string?)answer["text"], StringComparison.Ordinal);
        await SayAsync(BotClient.NewConversationId(), "周末加班工资怎么算", "answer");

        // The pending conversation's dialog kept the phone given before the restart (the summary shows it), and the day's case counter went on.
        var next = await ConfirmCaseAsync(before.PendingConversationId);
        AssertNumberedAfter(before.CaseId, next);

        var directLine = new DirectLineClient(Host.Client);
        var history = await directLine.GetActivitiesAsync(before.Chat.ConversationId, before.Chat.Token, null, Cancellation);
        Assert.True(history.Status == HttpStatusCode.OK, $"the chat token from before the restart: {(int)history.Status} {history.Body?.ToJsonString()}");
        var posted = await directLine.PostAsync(before.Chat, DirectLineClient.WebChatMessage("周末加班工资怎么算", "after-restart"), Cancellation);
        var (activities, _) = await directLine.PollUntilAsync(before.Chat, null, a => a.Any(x => DirectLineClient.IsReplyTo(x, posted)), Patience, Cancellation);
        Assert.Equal("answer", DirectLineClient.Kind(activities.Last(x => DirectLineClient.IsReplyTo(x, posted))));
    }

    /// <summary>An admin's edit of the knowledge entry's answer (If-Match <paramref name="version"/>); the marker the new answer carries.</summary>
    public async Task<string> EditKnowledgeAsync(ConfirmedBeforeRestart before, int version)
    {
        var marker = "重启后编辑" + Guid.NewGuid().ToString("N")[..6];
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri($"/api/knowledge/{before.KnowledgeId}", UriKind.Relative))
        {
            Content = JsonContent.Create(new { answer = $"先报警，再看和公司的约定。{marker}" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", before.AdminToken);
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
        using var response = await Host.Client.SendAsync(request, Cancellation);
        await ReadAsync(response, HttpStatusCode.OK);
        return marker;
    }

    /// <summary>
    /// Asks the bot <see cref="KnowledgeQuestion"/> in new conversations until its answer carries
    /// <paramref name="marker"/> (an edit made on another instance arrives by notice or catch-up); fails after <see cref="Patience"/>.
    /// </summary>
    public async Task AwaitAnswerCarryingAsync(string marker)
    {
        var giveUp = DateTimeOffset.UtcNow + Patience;
        string? last;
        do
        {
            last = (string?)(await SayAsync(BotClient.NewConversationId(), KnowledgeQuestion, "answer"))["text"];
            if (last?.Contains(marker, StringComparison.Ordinal) == true)
            {
                return;
            }

            await Task.Delay(200, Cancellation);
        }
        while (DateTimeOffset.UtcNow < giveUp);
        Assert.Fail($"the answer never carried {marker} within {Patience.TotalSeconds} s; last: {last}");
    }

    /// <summary>Polls GET /healthz until it answers <paramref name="wanted"/>; its JSON body. Fails after <see cref="Patience"/>.</summary>
    public async Task<JsonObject> PollHealthAsync(HttpStatusCode wanted)
    {
        var giveUp = DateTimeOffset.UtcNow + Patience;
        var last = "no answer";
        while (DateTimeOffset.UtcNow < giveUp)
        {
            using var response = await Host.Client.GetAsync(new Uri("/healthz", UriKind.Relative), Cancellation);
            var body = await response.Content.ReadAsStringAsync(Cancellation);
            if (response.StatusCode == wanted)
            {
                return JsonNode.Parse(body)!.AsObject();
            }

            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"/healthz answered {(int)response.StatusCode}: {body}");
            last = $"{(int)response.StatusCode} {body}";
            await Task.Delay(100, Cancellation);
        }

        Assert.Fail($"/healthz did not answer {(int)wanted} within {Patience.TotalSeconds} s; last: {last}");
        return null;
    }

    /// <summary>One worker turn through /api/messages (expectReplies): its single message reply, of the expected kind.</summary>
    public async Task<JsonObject> SayAsync(string conversationId, string text, string expectedKind)
    {
        var replies = BotClient.Messages(await BotClient.ExchangeAsync(Host.Client, BotClient.Message(text, conversationId), Cancellation));
        var reply = Assert.Single(replies);
        Assert.True(BotClient.Kind(reply) == expectedKind, $"\"{text}\" wanted a {expectedKind} reply, got: {reply.ToJsonString()}");
        return reply;
    }

    /// <summary>A request with a bearer token and a JSON body (either may be null).</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return Host.Client.SendAsync(request, Cancellation);
    }

    /// <summary>The JSON body of a response that must have the given status.</summary>
    public static async Task<JsonObject> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(Cancellation);
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath}: wanted {(int)expected}, got {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        TempDataDirectory.Delete(_dataDirectory);
    }

    private async Task<string> SignInAsync(string username, string password)
    {
        using var response = await Host.Client.PostAsJsonAsync("/api/auth/token", new { username, password }, Cancellation);
        return (string)(await ReadAsync(response, HttpStatusCode.OK))["token"]!;
    }

    /// <summary>A question, then the handoff up to the callback-time question (problem and phone given).</summary>
    private async Task GoToCallbackTimeAsync(string conversationId)
    {
        await SayAsync(conversationId, "周末加班工资怎么算", "answer");
        await SayAsync(conversationId, "转人工", "handoff");
        await SayAsync(conversationId, "周末加班老板不给加班费", "handoff");
        await SayAsync(conversationId, Phone, "handoff");
    }

    /// <summary>From the callback-time question: the time, the summary, "是"; the case id the confirmation names.</summary>
    private async Task<string> ConfirmCaseAsync(string conversationId)
    {
        var summary = await SayAsync(conversationId, CallbackTime, "handoff");
        Assert.Contains(MaskedPhone, (string?)summary["text"], StringComparison.Ordinal);
        var done = await SayAsync(conversationId, "是", "handoff");
        var caseId = (string)done["channelData"]!["hotline"]!["caseId"]!;
        Assert.Contains(caseId, (string?)done["text"], StringComparison.Ordinal);
        return caseId;
    }

    /// <summary>Case ids are PREFIX-yyyyMMdd-NNNN from a daily counter: on the same day the next case takes the next number.</summary>
    private static void AssertNumberedAfter(string first, string next)
    {
        var (firstDay, firstNumber) = Split(first);
        var (nextDay, nextNumber) = Split(next);
        Assert.True(nextDay != firstDay || nextNumber == firstNumber + 1, $"the daily case counter did not go on: {first}, then {next}");

        static (string Day, int Number) Split(string id)
        {
            var at = id.LastIndexOf('-');
            return (id[..at], int.Parse(id[(at + 1)..], CultureInfo.InvariantCulture));
        }
    }
}
