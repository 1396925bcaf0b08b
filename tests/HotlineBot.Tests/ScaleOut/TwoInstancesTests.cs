using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using HotlineBot.Tests.DirectLine;
using HotlineBot.Tests.Integration;

namespace HotlineBot.Tests.ScaleOut;

/// <summary>
/// Two instances of one hotline on one Redis, as a load balancer would use them: a worker's turns, an
/// operator's requests, an admin's edit and a chat page's calls land on either instance, and each one sees
/// what the other did. The instances are shared by the tests of this class; each test uses its own
/// conversations, case and knowledge entry.
/// </summary>
public sealed class TwoInstancesTests(RedisServer redis, TwoInstancesFixture fixture) : IClassFixture<TwoInstancesFixture>
{
    /// <summary>The question the knowledge edit is asked through, and its entry's category.</summary>
    private const string KnowledgeQuestion = "快递员电动车被偷了公司要赔吗";

    private const string PhonePrompt = "需要工作人员打电话给你吗";
    private const string WindowPrompt = "什么时间联系你比较方便";
    private const string Summary = "请确认转人工的信息";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AHandoffWhoseTurnsAlternateBetweenInstances_EndsWithACaseThatBothList()
    {
        var pair = await fixture.GetAsync(redis);
        var (conversationId, caseId) = await HandOffAlternatingAsync(pair);

        foreach (var host in new[] { pair.A, pair.B })
        {
            var (status, list) = await TwoInstances.ApiAsync(host, HttpMethod.Get, "/api/cases", pair.OperatorToken);
            Assert.Equal(HttpStatusCode.OK, status);
            var listed = list!["items"]!.AsArray().SingleOrDefault(i => (string?)i!["id"] == caseId);
            Assert.True(listed is not null, $"{pair.NameOf(host)} does not list {caseId}: {list.ToJsonString()}");
            Assert.Equal(TwoInstances.MaskedPhone, (string?)listed["callbackPhone"]);
            Assert.Equal("new", (string?)listed["status"]);

            // And either instance tells the worker about it.
            Assert.Contains(caseId, (string?)(await pair.SayAsync(host, conversationId, "我的工单", "status"))["text"], StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// The case's transcript (the conversation's recent lines, for the operator) holds the lines of every turn,
    /// whichever instance answered it, not only the turns of the instance that opened the case.
    /// </summary>
    [Fact]
    public async Task ACaseOpenedAfterTurnsOnBothInstances_CarriesTheLinesOfEveryTurn()
    {
        var pair = await fixture.GetAsync(redis);
        var (_, caseId) = await HandOffAlternatingAsync(pair);

        var transcript = (await pair.WaitForCaseAsync(pair.A, caseId, _ => true))["transcript"]!.AsArray();
        var worker = transcript.Where(l => (string?)l!["role"] == "worker").Select(l => (string?)l!["text"]).ToList();
        foreach (var (text, host) in AlternatingTurns.Select((t, i) => (t, pair.NameOf(pair.Alternate(i)))).Where(t => t.t != "是"))
        {
            Assert.True(
                worker.Any(w => w?.Contains(text.Replace(TwoInstances.Phone, TwoInstances.MaskedPhone, StringComparison.Ordinal), StringComparison.Ordinal) == true),
                $"the line \"{text}\" (said on {host}) is not in the case's transcript: {transcript.ToJsonString()}");
        }
    }

    [Fact]
    public async Task ACaseOpenedOnA_IsClaimedAndAnsweredThroughB_WithAsTokenFromA_AndTheReplyReachesTheWorker()
    {
        var pair = await fixture.GetAsync(redis);
        var conversationId = BotClient.NewConversationId();
        foreach (var step in TwoInstances.HandoffSteps)
        {
            await pair.SayAsync(pair.A, conversationId, step, "handoff");
        }

        var caseId = await pair.ConfirmAsync(pair.A, conversationId);

        // The operator's token came from A's /api/auth/token; B accepts it for every call below.
        var (claimStatus, claimed) = await TwoInstances.ApiAsync(pair.B, HttpMethod.Post, $"/api/cases/{caseId}/claim", pair.OperatorToken);
        Assert.True(claimStatus == HttpStatusCode.OK, $"claim on B: {(int)claimStatus} {claimed?.ToJsonString()}");
        Assert.Equal("claimed", (string?)claimed!["status"]);

        const string Reply = "你好，我是工会工作人员，请问欠薪是从哪个月开始的？";
        var (sendStatus, accepted) = await TwoInstances.ApiAsync(pair.B, HttpMethod.Post, $"/api/cases/{caseId}/messages", pair.OperatorToken, new { text = Reply });
        Assert.True(sendStatus == HttpStatusCode.Accepted, $"reply on B: {(int)sendStatus} {accepted?.ToJsonString()}");
        var deliveryId = (string?)accepted!["deliveryId"];

        var arrived = await pair.Channel.WaitForAsync(
            p => p.ConversationId == conversationId && (string?)p.Activity["channelData"]?["hotline"]?["kind"] == "operator", TwoInstances.Patience, Cancellation);
        var delivered = Assert.Single(arrived).Activity;
        Assert.EndsWith(Reply, (string?)delivered["text"], StringComparison.Ordinal);
        Assert.Equal(caseId, (string?)delivered["channelData"]!["hotline"]!["caseId"]);

        // Both instances show the case as B's operator left it: claimed by them, the reply in the transcript, delivered.
        foreach (var host in new[] { pair.A, pair.B })
        {
            var detail = await pair.WaitForCaseAsync(host, caseId, c => DeliveryState(c, deliveryId) == "delivered");
            Assert.Equal("delivered", DeliveryState(detail, deliveryId));
            Assert.Contains(detail["transcript"]!.AsArray(), l => (string?)l!["role"] == "operator" && ((string?)l["text"])!.Contains(Reply, StringComparison.Ordinal));
            var claim = Assert.Single(detail["history"]!.AsArray(), e => (string?)e!["action"] == "claim");
            Assert.Equal(TwoInstances.OperatorUser, (string?)claim!["actor"]);
        }
    }

    [Fact]
    public async Task AnAdminsEditOnA_IsAnsweredByB()
    {
        var pair = await fixture.GetAsync(redis);
        var marker = "跨实例" + Guid.NewGuid().ToString("N")[..6];
        var (created, entry) = await TwoInstances.ApiAsync(pair.A, HttpMethod.Post, "/api/knowledge", pair.AdminToken,
            new { question = KnowledgeQuestion + "？", answer = $"先报警，再看和公司的约定。{marker}-0", category = "labour-contract" });
        Assert.True(created == HttpStatusCode.Created, $"create on A: {(int)created} {entry?.ToJsonString()}");
        var id = (string)entry!["id"]!;
        var version = (int)entry["version"]!;
        await UntilBAnswersAsync(pair, $"{marker}-0");

        // Several edits, each timed from A's 200 to B's first answer with the new text.
        var measured = new List<double>();
        for (var edit = 1; edit <= 5; edit++)
        {
            var text = $"{marker}-{edit}";
            var (status, updated) = await TwoInstances.ApiAsync(pair.A, HttpMethod.Put, $"/api/knowledge/{id}", pair.AdminToken, new { answer = $"先报警，保留购车和工作证明。{text}" }, ifMatch: version);
            Assert.True(status == HttpStatusCode.OK, $"PUT on A: {(int)status} {updated?.ToJsonString()}");
            var saved = Stopwatch.GetTimestamp();
            version = (int)updated!["version"]!;
            var asked = await UntilBAnswersAsync(pair, text);
            var elapsed = Stopwatch.GetElapsedTime(saved);
            measured.Add(elapsed.TotalMilliseconds);
            Timings.Report(string.Create(CultureInfo.InvariantCulture,
                $"edit on A → answered by B: {elapsed.TotalMilliseconds:0.0} ms after PUT's 200 ({asked} question(s) to B)"));
        }

        Timings.Report(string.Create(CultureInfo.InvariantCulture,
            $"edit on A → answered by B, {measured.Count} edits: min {measured.Min():0.0} ms, median {measured.Order().ElementAt(measured.Count / 2):0.0} ms, max {measured.Max():0.0} ms"));
    }

    [Fact]
    public async Task AChatTokenFromA_StartsAndPostsOnB_AndTheBotsReplyIsReadFromA()
    {
        var pair = await fixture.GetAsync(redis);
        var onA = new DirectLineClient(pair.A.Client);
        var onB = new DirectLineClient(pair.B.Client);

        var chat = await onA.ChatTokenAsync(Cancellation);
        await onB.StartAsync(chat.Token, Cancellation);
        var posted = await onB.PostAsync(chat, DirectLineClient.WebChatMessage("周末加班工资怎么算", "across-1"), Cancellation);
        var (onAFirst, watermark) = await onA.PollUntilAsync(chat, null, a => a.Any(x => DirectLineClient.IsReplyTo(x, posted)), TwoInstances.Patience, Cancellation);
        Assert.Contains(onAFirst, a => (string?)a["id"] == posted && (string?)a["from"]?["id"] == chat.UserId);
        Assert.Equal("answer", DirectLineClient.Kind(onAFirst.Last(x => DirectLineClient.IsReplyTo(x, posted))));

        // And back: the page posts on A and reads on B, from where it stopped.
        var again = await onA.PostAsync(chat, DirectLineClient.WebChatMessage("转人工", "across-2"), Cancellation);
        var (onBNext, _) = await onB.PollUntilAsync(chat, watermark, a => a.Any(x => DirectLineClient.IsReplyTo(x, again)), TwoInstances.Patience, Cancellation);
        Assert.DoesNotContain(onBNext, a => (string?)a["id"] == posted);
        Assert.Equal("handoff", DirectLineClient.Kind(onBNext.Last(x => DirectLineClient.IsReplyTo(x, again))));
    }

    /// <summary>
    /// Two turns of one conversation at once, one on each instance: the handoff asks what happened, and the
    /// worker sends two phone numbers together. Taken one after the other, the first is the description and the
    /// second the callback number, so one reply asks for the number and the other for the time, and the next
    /// turn gets the summary. A turn that did not see the other's state write (or whose write was lost) shows as
    /// two replies asking for the number, or no summary after.
    /// </summary>
    [Fact]
    public async Task TwoTurnsOfOneConversationAtOnce_OnBothInstances_LoseNoStateWrite()
    {
        var pair = await fixture.GetAsync(redis);
        const int Rounds = 20;
        var lost = new List<string>();
        for (var round = 0; round < Rounds; round++)
        {
            var conversationId = BotClient.NewConversationId();
            var prompt = await pair.SayAsync(pair.A, conversationId, "转人工", "handoff");
            Assert.Contains("发生了什么事", (string?)prompt["text"], StringComparison.Ordinal);

            var (first, second) = round % 2 == 0 ? (pair.A, pair.B) : (pair.B, pair.A);
            var together = await Task.WhenAll(
                pair.RepliesAsync(first, conversationId, "13812348000"),
                pair.RepliesAsync(second, conversationId, "13912348001"));
            var texts = together.Select(r => string.Join(" / ", r.Select(a => (string?)a["text"]))).ToList();
            var next = string.Join(" / ", (await pair.RepliesAsync(pair.Alternate(round), conversationId, "工作日下午")).Select(a => (string?)a["text"]));

            var oneAskedPhone = texts.Count(t => t.Contains(PhonePrompt, StringComparison.Ordinal)) == 1;
            var oneAskedWindow = texts.Count(t => t.Contains(WindowPrompt, StringComparison.Ordinal)) == 1;
            if (!oneAskedPhone || !oneAskedWindow || !next.Contains(Summary, StringComparison.Ordinal))
            {
                lost.Add($"round {round + 1}: together [{string.Join(" | ", texts)}], then [{next}]");
            }
        }

        Assert.True(lost.Count == 0, $"{lost.Count} of {Rounds} rounds lost a state write (no cross-instance turn serialization?):\n{string.Join("\n", lost)}");
    }

    /// <summary>What the worker says in <see cref="HandOffAlternatingAsync"/>, turn by turn (A, B, A ...), before "是".</summary>
    private static readonly string[] AlternatingTurns = ["周末加班工资怎么算", "转人工", "周末加班老板不给加班费", TwoInstances.Phone, "工作日下午", "是"];

    /// <summary>A question, then the handoff to a confirmed case, each turn on the other instance than the last; the conversation and the case.</summary>
    private static async Task<(string ConversationId, string CaseId)> HandOffAlternatingAsync(TwoInstances pair)
    {
        var conversationId = BotClient.NewConversationId();
        string[] kinds = ["answer", "handoff", "handoff", "handoff", "handoff"];
        for (var turn = 0; turn < kinds.Length; turn++)
        {
            var reply = await pair.SayAsync(pair.Alternate(turn), conversationId, AlternatingTurns[turn], kinds[turn]);
            if (turn == kinds.Length - 1)
            {
                // The summary, on A, holds what B and A collected in the turns before.
                Assert.Contains(TwoInstances.MaskedPhone, (string?)reply["text"], StringComparison.Ordinal);
                Assert.Contains("周末加班老板不给加班费", (string?)reply["text"], StringComparison.Ordinal);
            }
        }

        return (conversationId, await pair.ConfirmAsync(pair.Alternate(kinds.Length), conversationId));
    }

    private static string? DeliveryState(JsonNode detail, string? deliveryId) =>
        (string?)detail["deliveries"]!.AsArray().FirstOrDefault(d => (string?)d!["id"] == deliveryId)?["state"];

    /// <summary>Asks B the entry's question (a new conversation each time) until the answer holds <paramref name="text"/>; how many times it asked.</summary>
    private static async Task<int> UntilBAnswersAsync(TwoInstances pair, string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        for (var asked = 1; ; asked++)
        {
            var replies = await pair.RepliesAsync(pair.B, BotClient.NewConversationId(), KnowledgeQuestion);
            if (replies.Any(r => BotClient.Kind(r) == "answer" && ((string?)r["text"])?.Contains(text, StringComparison.Ordinal) == true))
            {
                return asked;
            }

            Assert.True(DateTime.UtcNow < deadline, $"B still answers without \"{text}\" 10 s after the edit on A: {new JsonArray([.. replies.Select(r => r.DeepClone())]).ToJsonString()}");
            await Task.Delay(5, Cancellation);
        }
    }
}
