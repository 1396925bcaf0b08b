using System.Net;
using System.Text.Json.Nodes;

namespace HotlineBot.Tests.Integration;

/// <summary>The console's files at /operator: served with the host, under a strict Content-Security-Policy.</summary>
public sealed class OperatorConsolePageTests(HotlineHostFixture fixture) : IClassFixture<HotlineHostFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/operator", "text/html")]
    [InlineData("/operator/", "text/html")]
    [InlineData("/operator/console.js", "text/javascript")]
    [InlineData("/operator/console.css", "text/css")]
    [InlineData("/shared/staff.js", "text/javascript")]
    public async Task Console_IsServed_WithAStrictContentSecurityPolicy(string path, string mediaType)
    {
        using var response = await fixture.Host.Client.GetAsync(new Uri(path, UriKind.Relative), Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.StartsWith("default-src 'self'", string.Join(";", response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task ConsolePage_LoadsNothingFromElsewhere_AndHasNoInlineScript()
    {
        var html = await fixture.Host.Client.GetStringAsync(new Uri("/operator", UriKind.Relative), Cancellation);

        Assert.Contains("<script src=\"/shared/staff.js\" defer></script>\n  <script src=\"/operator/console.js\" defer></script>", html, StringComparison.Ordinal);
        Assert.Equal(2, CountOf(html, "<script"));
        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(@"\son[a-z]+\s*=", html);
        var script = await fixture.Host.Client.GetStringAsync(new Uri("/operator/console.js", UriKind.Relative), Cancellation);
        Assert.DoesNotContain("innerHTML", script, StringComparison.Ordinal);
        Assert.DoesNotContain("insertAdjacentHTML", script, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}

/// <summary>
/// The console in a real browser: a worker opens a case through /api/messages, then an operator signs in
/// to /operator in Debian's chromium (driven by tests/browser/operator-console.mjs with playwright-core),
/// finds, claims, answers and resolves it. Skipped as <see cref="BrowserScript"/> says when the browser is missing.
/// </summary>
public sealed class OperatorConsoleBrowserTests(ChannelServer channel) : IClassFixture<ChannelServer>, IDisposable
{
    private const string OperatorUser = "li.ming";
    private const string OperatorPassword = "Shift2024Desk";
    private const string Phone = "13812348000";
    private const string FirstQuestion = "周末加班工资怎么算";
    private const string FollowUp = "工资条我晚上拍照发给你们";
    private const string Reply = "请把最近三个月的工资条拍照发给我们 <b>x</b> & \"引号\"";

    private readonly string _dataDirectory = TempDataDirectory.Create();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose() => TempDataDirectory.Delete(_dataDirectory);

    [Fact]
    public async Task Operator_SignsIn_ClaimsAnswersAndResolvesACase_InARealBrowser()
    {
        BrowserScript.SkipUnlessAvailable();

        var (started, admin) = await BrowserScript.StartHostAsync(_dataDirectory, Cancellation);
        await using var host = started;
        using (var created = await BrowserScript.SendAsync(host, HttpMethod.Post, "/api/accounts", admin, new { username = OperatorUser, password = OperatorPassword, role = "operator" }, Cancellation))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var conversationId = BotClient.NewConversationId();
        var caseId = await OpenCaseAsWorkerAsync(host, conversationId);

        var run = await BrowserScript.RunAsync(
            "operator-console.mjs",
            [
                "--base-url", host.BaseAddress.ToString(),
                "--username", OperatorUser,
                "--password", OperatorPassword,
                "--case-id", caseId,
                "--worker-text", FirstQuestion,
                "--phone", Phone,
                "--expect-delivery", "delivered",
                "--followup-text", FollowUp,
                // Outside the data directory, which is deleted after the test.
                "--screenshot", Path.Combine(Path.GetTempPath(), $"hotlinebot-operator-console-{caseId}.png"),
            ],
            async line =>
            {
                if (line == "WAITING_FOR_WORKER_MESSAGE")
                {
                    // The worker writes while the operator has the case open: it must show up by polling.
                    await BotClient.ExchangeAsync(host.Client, BotClient.Message(FollowUp, conversationId, channel.ServiceUrl), Cancellation);
                }
            },
            Cancellation);

        TestContext.Current.TestOutputHelper?.WriteLine(run.Output);
        Assert.True(run.Passed, $"operator-console.mjs exited {run.ExitCode}:\n{run.Output}");
        Assert.Contains("ok: the reply is shown literally (escaped)", run.Output, StringComparison.Ordinal);
        Assert.Contains("ok: the worker's new message appears in the open case without a reload", run.Output, StringComparison.Ordinal);
        Assert.Contains("ok: the case is in the queue with its countdown", run.Output, StringComparison.Ordinal);

        // What the browser did is what the server holds, and the worker got the reply as typed.
        var operatorToken = await BrowserScript.TokenAsync(host, OperatorUser, OperatorPassword, Cancellation);
        using var detailResponse = await BrowserScript.SendAsync(host, HttpMethod.Get, $"/api/cases/{caseId}", operatorToken, null, Cancellation);
        var detail = JsonNode.Parse(await detailResponse.Content.ReadAsStringAsync(Cancellation))!;
        Assert.Equal("resolved", (string?)detail["status"]);
        Assert.Equal(OperatorUser, (string?)detail["assignee"]);
        Assert.Contains(detail["transcript"]!.AsArray(), l => (string?)l!["role"] == "operator" && (string?)l["text"] == Reply);
        Assert.Contains(detail["history"]!.AsArray(), h => (string?)h!["action"] == "reveal-phone" && (string?)h["actor"] == OperatorUser);
        var delivered = await channel.WaitForAsync(
            p => p.ConversationId == conversationId && BotClient.Kind(p.Activity) == "operator" && ((string?)p.Activity["text"])?.Contains(Reply, StringComparison.Ordinal) == true,
            TimeSpan.FromSeconds(10),
            Cancellation);
        Assert.NotEmpty(delivered);
    }

    /// <summary>The worker's side: a question, 转人工, then the handoff dialog's questions; the case number.</summary>
    private async Task<string> OpenCaseAsWorkerAsync(HotlineHost host, string conversationId)
    {
        string? caseId = null;
        foreach (var text in new[] { FirstQuestion, "转人工", "周末加班老板不给加班费，工资条也不给", Phone, "工作日下午", "是" })
        {
            var replies = BotClient.Messages(await BotClient.ExchangeAsync(host.Client, BotClient.Message(text, conversationId, channel.ServiceUrl), Cancellation));
            caseId = replies.Select(r => (string?)r["channelData"]?["hotline"]?["caseId"]).LastOrDefault(id => id is not null) ?? caseId;
        }

        Assert.False(string.IsNullOrEmpty(caseId), "the handoff gave no case number");
        return caseId;
    }
}
