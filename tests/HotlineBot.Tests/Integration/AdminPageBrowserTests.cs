using System.Net;
using System.Text.Json.Nodes;

namespace HotlineBot.Tests.Integration;

/// <summary>The admins' page at /admin: served with the host as the operator console is, under a strict Content-Security-Policy.</summary>
public sealed class AdminPageServingTests(HotlineHostFixture fixture) : IClassFixture<HotlineHostFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/admin", "text/html")]
    [InlineData("/admin/", "text/html")]
    [InlineData("/admin/admin.js", "text/javascript")]
    [InlineData("/admin/admin.css", "text/css")]
    [InlineData("/shared/staff.js", "text/javascript")]
    public async Task AdminPage_IsServed_WithAStrictContentSecurityPolicy(string path, string mediaType)
    {
        using var response = await fixture.Host.Client.GetAsync(new Uri(path, UriKind.Relative), Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.StartsWith("default-src 'self'", string.Join(";", response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", string.Join(";", response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task AdminPage_LoadsNothingFromElsewhere_AndNeverWritesHtml()
    {
        var html = await fixture.Host.Client.GetStringAsync(new Uri("/admin", UriKind.Relative), Cancellation);

        Assert.Contains("<html lang=\"zh-CN\">", html, StringComparison.Ordinal);
        // The staff pages' shared helpers first, then the page's own script: no other script.
        Assert.Contains("<script src=\"/shared/staff.js\" defer></script>\n  <script src=\"/admin/admin.js\" defer></script>", html, StringComparison.Ordinal);
        Assert.Equal(2, html.Split("<script").Length - 1);
        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(@"\son[a-z]+\s*=", html);
        var script = await fixture.Host.Client.GetStringAsync(new Uri("/admin/admin.js", UriKind.Relative), Cancellation)
            + await fixture.Host.Client.GetStringAsync(new Uri("/shared/staff.js", UriKind.Relative), Cancellation);
        Assert.DoesNotContain("innerHTML", script, StringComparison.Ordinal);
        Assert.DoesNotContain("outerHTML", script, StringComparison.Ordinal);
        Assert.DoesNotContain("insertAdjacentHTML", script, StringComparison.Ordinal);
        Assert.DoesNotContain("document.write", script, StringComparison.Ordinal);
    }
}

/// <summary>
/// The admins' page in a real browser: an admin signs in to /admin in Debian's chromium (driven by
/// tests/browser/admin.mjs with playwright-core), finds the overtime pay entry, saves a marker into its answer
/// and the bot answers with it at once; then restores the earlier version. A question the bot could not answer
/// gets an entry from the unanswered inbox, and the worker who asked to be told receives the answer. An entry
/// whose question is markup shows as text, and an operator's account is refused. The edit-to-live figures go
/// to the test output and to the file <c>HOTLINE_TIMINGS_FILE</c> names. Skipped as <see cref="BrowserScript"/>
/// says when the browser is missing.
/// </summary>
public sealed class AdminPageBrowserTests(ChannelServer channel) : IClassFixture<ChannelServer>, IDisposable
{
    private const string OperatorUser = "li.ming";
    private const string OperatorPassword = "Shift2024Desk";
    private const string EntryId = "overtime-pay-rates";
    private const string BotQuestion = "加班工资怎么算";
    private const string MarkupQuestion = "测试条目 <img src=x onerror=alert(1)> 请勿发布";

    /// <summary>Words the search has no domain term for: the bot falls back, and the question lands in the inbox.</summary>
    private const string UnansweredQuestion = "车间里的叉车司机要不要持证上岗";
    private const string UnansweredAnswer = "叉车属于特种设备，司机须经培训考核取得《特种设备安全管理和作业人员证》后才能上岗。";
    private const string SimilarQuestion = "电梯坏了爬楼梯摔了算不算";
    private const string SimilarEntryId = "work-injury-recognition-application";

    private readonly string _dataDirectory = TempDataDirectory.Create();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose() => TempDataDirectory.Delete(_dataDirectory);

    [Fact]
    public async Task Admin_EditsAnAnswer_TheBotAnswersWithItAtOnce_AndMarkupStaysText_InARealBrowser()
    {
        BrowserScript.SkipUnlessAvailable();

        var (started, admin) = await BrowserScript.StartHostAsync(_dataDirectory, Cancellation);
        await using var host = started;
        using (var created = await BrowserScript.SendAsync(host, HttpMethod.Post, "/api/accounts", admin, new { username = OperatorUser, password = OperatorPassword, role = "operator" }, Cancellation))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        string markupId;
        using (var created = await BrowserScript.SendAsync(
            host,
            HttpMethod.Post,
            "/api/knowledge",
            admin,
            // Past its review date, so the review list shows it too.
            new { question = MarkupQuestion, answer = "**加粗** <b>不是标签</b>\n- 第一项 <script>alert(2)</script>", category = "union", status = "draft", effectiveFrom = "2020-01-01", reviewBy = "2021-01-01" },
            Cancellation))
        {
            var body = await created.Content.ReadAsStringAsync(Cancellation);
            Assert.True(created.StatusCode == HttpStatusCode.Created, $"POST /api/knowledge answered {(int)created.StatusCode}: {body}");
            markupId = (string)JsonNode.Parse(body)!["id"]!;
        }

        // Two workers ask what the bot cannot answer; the first asks to be told when there is an answer.
        var askedFirst = BotClient.NewConversationId();
        await AskAsync(host, askedFirst, UnansweredQuestion, "fallback");
        await AskAsync(host, askedFirst, "有答案时告诉我", null);
        await AskAsync(host, BotClient.NewConversationId(), UnansweredQuestion, "fallback");
        await AskAsync(host, BotClient.NewConversationId(), SimilarQuestion, "fallback");

        var marker = "核对标记" + Guid.NewGuid().ToString("N")[..8];
        var run = await BrowserScript.RunAsync(
            "admin.mjs",
            [
                "--base-url", host.BaseAddress.ToString(),
                "--username", BrowserScript.AdminUser,
                "--password", BrowserScript.AdminPassword,
                "--operator-username", OperatorUser,
                "--operator-password", OperatorPassword,
                "--entry-id", EntryId,
                "--markup-entry-id", markupId,
                "--search", "加班费",
                "--bot-question", BotQuestion,
                "--marker", marker,
                "--unanswered-wording", UnansweredQuestion,
                "--unanswered-answer", UnansweredAnswer,
                "--similar-wording", SimilarQuestion,
                "--similar-entry-id", SimilarEntryId,
                // Outside the data directory, which is deleted after the test.
                "--screenshot", Path.Combine(Path.GetTempPath(), $"hotlinebot-admin-failed-{Guid.NewGuid():N}.png"),
            ],
            null,
            Cancellation);

        TestContext.Current.TestOutputHelper?.WriteLine(run.Output);
        Assert.True(run.Passed, $"admin.mjs exited {run.ExitCode}:\n{run.Output}");
        foreach (var expected in new[]
        {
            "ok: a stale save shows 内容已被他人修改",
            "ok: an empty question is refused and the field marked",
            "ok: the preview renders bold and list items",
            $"ok: after saving, the bot's reply to \"{BotQuestion}\" holds the marker {marker}",
            "ok: the history shows the answer change old → new",
            "ok: an entry whose question is <img src=x onerror=alert(1)> shows as text",
            "ok: 新建条目 creates ",
            "ok: 通知提问职工: \"通知结果：已发送 1 人，发送失败 0 人，此前已发送 0 人。\"",
            "ok: the group leaves the inbox, and the bot now answers the question",
            $"ok: 加为相似问法 appends \"{SimilarQuestion}\" to {SimilarEntryId}",
            "ok: 回归问题: a case added in the form fails with its keywords and the reply shown, an empty question names q, 删除 asks then deletes",
            "ok: 审计日志 shows the admin's edit of ",
            "ok: 停用 asks for confirmation, then retires the entry",
            "ok: an operator signing in sees \"无权限",
            "ok: no script errors, CSP violations or requests to other origins as admin",
        })
        {
            Assert.Contains(run.Lines, l => l.StartsWith(expected, StringComparison.Ordinal));
        }

        // The script's "timing:" lines, for the notes.
        var timings = run.Lines.Where(l => l.StartsWith("timing: ", StringComparison.Ordinal)).Select(l => "admin page " + l["timing: ".Length..]).ToList();
        Assert.Contains(timings, l => l.StartsWith("admin page edit to live: ", StringComparison.Ordinal));
        foreach (var line in timings)
        {
            Timings.Report(line);
        }

        // What the page did is what the service holds: the marker's version in the history, then a restore
        // that the bot answers from.
        using var historyResponse = await BrowserScript.SendAsync(host, HttpMethod.Get, $"/api/knowledge/{EntryId}/history", admin, null, Cancellation);
        var history = JsonNode.Parse(await historyResponse.Content.ReadAsStringAsync(Cancellation))!["items"]!.AsArray();
        var markerAt = history.Select((h, i) => (Answer: (string?)h!["entry"]?["answer"], At: i)).First(h => h.Answer?.Contains(marker, StringComparison.Ordinal) == true).At;
        Assert.Equal("updated", (string?)history[markerAt]!["kind"]);
        Assert.Equal((string?)history[markerAt - 1]!["entry"]?["answer"], (string?)history[^1]!["entry"]?["answer"]);
        var replies = BotClient.Messages(await BotClient.ExchangeAsync(host.Client, BotClient.Message(BotQuestion, BotClient.NewConversationId()), Cancellation));
        var reply = string.Join("\n", replies.Select(r => (string?)r["text"]));
        Assert.Contains("150%", reply, StringComparison.Ordinal);
        Assert.DoesNotContain(marker, reply, StringComparison.Ordinal);

        // The worker who asked to be told got the new entry's answer in their conversation.
        var told = await channel.WaitForAsync(
            p => p.ConversationId == askedFirst && ((string?)p.Activity["text"])?.Contains(UnansweredAnswer, StringComparison.Ordinal) == true,
            TimeSpan.FromSeconds(10),
            Cancellation);
        Assert.NotEmpty(told);
    }

    /// <summary>
    /// A worker's message through /api/messages with normal delivery, so the conversation can be written to later
    /// (expectReplies keeps no reference); the reply on the channel is of <paramref name="kind"/> when one is named.
    /// </summary>
    private async Task AskAsync(HotlineHost host, string conversationId, string text, string? kind)
    {
        var incoming = BotClient.Message(text, conversationId, channel.ServiceUrl, expectReplies: false);
        using (var response = await BotClient.PostAsync(host.Client, incoming, Cancellation))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var replies = await channel.WaitForAsync(
            p => p.ReplyToId == (string?)incoming["id"] && (string?)p.Activity["type"] == "message", TimeSpan.FromSeconds(10), Cancellation);
        Assert.NotEmpty(replies);
        if (kind is not null)
        {
            Assert.Contains(replies, p => BotClient.Kind(p.Activity) == kind);
        }
    }
}
