using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace HotlineBot.Tests.Integration;

/// <summary>
/// The workers' chat page at / and its files at /chat, Microsoft's Web Chat among them (copied from npm by the
/// build), under a strict Content-Security-Policy; the bundle compressed.
/// </summary>
public sealed partial class WebChatPageTests(HotlineHostFixture fixture) : IClassFixture<HotlineHostFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    public async Task ChatPage_IsServedAtTheRoot_UnderAStrictPolicy(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri("/", UriKind.Relative));
        using var response = await fixture.Host.Client.SendAsync(request, Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        var authority = fixture.Host.BaseAddress.Authority;
        Assert.Equal(
            "default-src 'self'; script-src 'self'; style-src 'self' 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='; "
                + $"connect-src 'self' ws://{authority} wss://{authority}; img-src 'self' blob:; "
                + "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
            Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        if (method == "GET")
        {
            var html = await response.Content.ReadAsStringAsync(Cancellation);
            Assert.Contains("<html lang=\"zh-CN\">", html, StringComparison.Ordinal);
            Assert.Contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1", html, StringComparison.Ordinal);
            Assert.Contains("<h1>职工服务热线 智能助手</h1>", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ChatPage_LoadsOnlyOurOwnFiles_AndHasNoInlineScript()
    {
        var html = await fixture.Host.Client.GetStringAsync(new Uri("/", UriKind.Relative), Cancellation);

        var scripts = ScriptTag().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(CountOf(html, "<script"), scripts.Count);
        Assert.Equal(["/chat/lib/react.production.min.js", "/chat/lib/react-dom.production.min.js", "/chat/lib/webchat.js", "/chat/chat.js"], scripts);
        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(@"\son[a-z]+\s*=", html);
        foreach (var number in new[] { "110", "120", "119", "12351" })
        {
            Assert.Contains($"href=\"tel:{number}\"", html, StringComparison.Ordinal);
        }

        var script = await fixture.Host.Client.GetStringAsync(new Uri("/chat/chat.js", UriKind.Relative), Cancellation);
        Assert.DoesNotContain("innerHTML", script, StringComparison.Ordinal);
        Assert.Contains("hideUploadButton: true", script, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/chat/chat.js", "text/javascript")]
    [InlineData("/chat/chat.css", "text/css")]
    [InlineData("/chat/favicon.svg", "image/svg+xml")]
    [InlineData("/chat/lib/webchat.js", "text/javascript")]
    [InlineData("/chat/lib/react.production.min.js", "text/javascript")]
    [InlineData("/chat/lib/react-dom.production.min.js", "text/javascript")]
    public async Task ChatFiles_AreServed_WithThePolicy(string path, string mediaType)
    {
        using var response = await fixture.Host.Client.GetAsync(new Uri(path, UriKind.Relative), Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("default-src 'self'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Theory]
    [InlineData("br", "br")]
    [InlineData("gzip, deflate, br", "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("br;q=0, gzip", "gzip")]
    [InlineData(null, null)]
    public async Task WebChatBundle_IsSentCompressed_InAnEncodingTheBrowserAccepts(string? acceptEncoding, string? expected)
    {
        using var plain = await fixture.Host.Client.GetAsync(new Uri("/chat/lib/webchat.js", UriKind.Relative), Cancellation);
        var plainLength = (await plain.Content.ReadAsByteArrayAsync(Cancellation)).Length;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/chat/lib/webchat.js", UriKind.Relative));
        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }

        using var response = await fixture.Host.Client.SendAsync(request, Cancellation);
        var body = await response.Content.ReadAsByteArrayAsync(Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        if (expected is null)
        {
            Assert.Empty(response.Content.Headers.ContentEncoding);
            Assert.Equal(plainLength, body.Length);
        }
        else
        {
            Assert.Equal(expected, Assert.Single(response.Content.Headers.ContentEncoding));
            // Web Chat is about 3.9 MB as published; a phone on mobile data gets a fraction of that.
            Assert.True(body.Length < plainLength / 3, $"{expected}: {body.Length} bytes of {plainLength}");
        }
    }

    [Theory]
    [InlineData("/chat/lib/webchat.js.br")]
    [InlineData("/chat/lib/webchat.js.gz")]
    [InlineData("/chat/chat.js.br")]
    [InlineData("/index.html")]
    [InlineData("/chat/index.html")]
    public async Task CompressedCopiesAndThePageTemplate_AreNotServedAsFiles(string path)
    {
        using var response = await fixture.Host.Client.GetAsync(new Uri(path, UriKind.Relative), Cancellation);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
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

    [GeneratedRegex("<script src=\"([^\"]+)\"[^>]*></script>")]
    private static partial Regex ScriptTag();
}

/// <summary>
/// The worker's chat in a real browser at a phone's size: Debian's chromium, driven by tests/browser/webchat.mjs
/// with playwright-core, opens /, sees the welcome, asks a policy question and sees the answer, presses a
/// suggested action, asks for a person and answers the handoff questions until the case number shows; the
/// test then claims the case and replies as an operator through the case API, and the reply must arrive in
/// the open page, marked as from a person; a reload must resume the conversation, and one whose saved
/// conversation is gone must start a new one. The browser's timings are printed for the notes. Skipped as
/// <see cref="BrowserScript"/> says when the browser is missing.
/// </summary>
public sealed class WebChatBrowserTests : IDisposable
{
    private const string Question = "老板拖欠工资三个月了怎么办";
    private const string Description = "在工地干了三个月，老板一直拖着工资不发，想请工会帮忙";
    private const string Phone = "13812348000";
    private const string OperatorReply = "您好，我是工会的李明，明天上午给您回电，请准备好考勤记录";

    private readonly string _dataDirectory = TempDataDirectory.Create();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose() => TempDataDirectory.Delete(_dataDirectory);

    [Fact]
    public async Task Worker_ChatsOnAPhone_GetsAnAnswerACaseAndAnOperatorsReply_AndAReloadResumes()
    {
        BrowserScript.SkipUnlessAvailable();

        var (started, admin) = await BrowserScript.StartHostAsync(_dataDirectory, Cancellation);
        await using var host = started;

        string? caseId = null;
        var run = await BrowserScript.RunAsync(
            "webchat.mjs",
            [
                "--base-url", host.BaseAddress.ToString(),
                "--question", Question,
                "--description", Description,
                "--phone", Phone,
                "--operator-text", OperatorReply,
                // Outside the data directory, which is deleted after the test.
                "--screenshot", Path.Combine(Path.GetTempPath(), $"hotlinebot-webchat-failed-{Guid.NewGuid():N}.png"),
                "--final-screenshot", Path.Combine(Path.GetTempPath(), "hotlinebot-webchat-390x844.png"),
            ],
            async line =>
            {
                if (!line.StartsWith("CASE_OPENED ", StringComparison.Ordinal))
                {
                    return;
                }

                // The page shows the case number: an operator takes the case and writes into the worker's chat.
                caseId = line["CASE_OPENED ".Length..].Trim();
                using (var claimed = await BrowserScript.SendAsync(host, HttpMethod.Post, $"/api/cases/{caseId}/claim", admin, null, Cancellation))
                {
                    Assert.Equal(HttpStatusCode.OK, claimed.StatusCode);
                }

                using var sent = await BrowserScript.SendAsync(host, HttpMethod.Post, $"/api/cases/{caseId}/messages", admin, new { text = OperatorReply }, Cancellation);
                Assert.True(sent.IsSuccessStatusCode, $"POST /api/cases/{caseId}/messages answered {(int)sent.StatusCode}");
            },
            Cancellation);

        // The "timing:" lines are for the notes (the test runner's -showLiveOutput prints them).
        TestContext.Current.TestOutputHelper?.WriteLine(run.Output);

        Assert.True(run.Passed, $"webchat.mjs exited {run.ExitCode}:\n{run.Output}");
        foreach (var expected in new[]
        {
            "ok: fits the phone without zooming",
            "ok: the welcome shows",
            $"ok: \"{Question}\" is answered",
            "ok: pressing \"有帮助\" sends it and the bot replies",
            "ok: the operator's reply arrives without a reload, labelled 工作人员",
            "ok: a reload resumes conversation",
            "ok: a saved conversation the service no longer has gives way to a new one",
            "ok: no script errors, CSP violations, failed requests or requests to other origins",
        })
        {
            Assert.Contains(run.Lines, l => l.StartsWith(expected, StringComparison.Ordinal));
        }

        Assert.Contains(run.Lines, l => l.StartsWith("timing: page load to welcome shown ", StringComparison.Ordinal));
        Assert.Contains(run.Lines, l => l.StartsWith("timing: question sent to answer shown ", StringComparison.Ordinal));

        // What the page did is what the service holds: the worker's own words through Direct Line, the reply delivered.
        Assert.NotNull(caseId);
        using var detailResponse = await BrowserScript.SendAsync(host, HttpMethod.Get, $"/api/cases/{caseId}", admin, null, Cancellation);
        var detail = JsonNode.Parse(await detailResponse.Content.ReadAsStringAsync(Cancellation))!;
        Assert.Equal("directline", (string?)detail["channelId"]);
        Assert.Equal(Description, (string?)detail["description"]);
        Assert.Equal("138****8000", (string?)detail["callbackPhone"]);
        var transcript = detail["transcript"]!.AsArray();
        Assert.Contains(transcript, l => (string?)l!["role"] == "worker" && (string?)l["text"] == Question);
        Assert.Contains(transcript, l => (string?)l!["role"] == "operator" && (string?)l["text"] == OperatorReply && (string?)l["delivery"]?["state"] == "delivered");
    }
}
