using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
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

        Assert.Contains("<script src=\"/operator/console.js\" defer></script>", html, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(html, "<script"));
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
/// finds, claims, answers and resolves it. Skipped, with the reason, when chromium or the script's
/// node_modules are missing, unless HOTLINE_REQUIRE_BROWSER=1 (as .ci/run sets), which makes that a failure.
/// </summary>
public sealed class OperatorConsoleBrowserTests(ChannelServer channel) : IClassFixture<ChannelServer>, IDisposable
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private const string AdminUser = "chief";
    private const string AdminPassword = "Union12351Hotline";
    private const string OperatorUser = "li.ming";
    private const string OperatorPassword = "Shift2024Desk";
    private const string Phone = "13812348000";
    private const string FirstQuestion = "周末加班工资怎么算";
    private const string FollowUp = "工资条我晚上拍照发给你们";
    private const string Reply = "请把最近三个月的工资条拍照发给我们 <b>x</b> & \"引号\"";
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(3);

    private readonly string _dataDirectory = TempDataDirectory.Create();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose() => TempDataDirectory.Delete(_dataDirectory);

    [Fact]
    public async Task Operator_SignsIn_ClaimsAnswersAndResolvesACase_InARealBrowser()
    {
        var browserDirectory = Path.Combine(RepositoryRoot(), "tests", "browser");
        SkipUnlessBrowserIsThere(browserDirectory);

        await using var host = await HotlineHost.StartAsync(
            _dataDirectory,
            new Dictionary<string, string?>
            {
                ["Hotline:Bootstrap:AdminUser"] = AdminUser,
                ["Hotline:Bootstrap:AdminPassword"] = AdminPassword,
                // The reply's delivery is a follow-up job: poll for it often, as the tests do elsewhere.
                ["Hotline:FollowUp:SchedulePollingInterval"] = "00:00:00.500",
            },
            Cancellation);
        var admin = await TokenAsync(host, AdminUser, AdminPassword);
        using (var created = await SendAsync(host, HttpMethod.Post, "/api/accounts", admin, new { username = OperatorUser, password = OperatorPassword, role = "operator" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var conversationId = BotClient.NewConversationId();
        var caseId = await OpenCaseAsWorkerAsync(host, conversationId);

        var run = await RunScriptAsync(browserDirectory, host, caseId, conversationId);

        TestContext.Current.TestOutputHelper?.WriteLine(run.Output);
        Assert.True(run.ExitCode == 0, $"operator-console.mjs exited {run.ExitCode}:\n{run.Output}");
        Assert.Contains("PASS", run.Output.Split('\n').Select(l => l.Trim()));
        Assert.Contains("ok: the reply is shown literally (escaped)", run.Output, StringComparison.Ordinal);
        Assert.Contains("ok: the worker's new message appears in the open case without a reload", run.Output, StringComparison.Ordinal);
        Assert.Contains("ok: the case is in the queue with its countdown", run.Output, StringComparison.Ordinal);

        // What the browser did is what the server holds, and the worker got the reply as typed.
        var operatorToken = await TokenAsync(host, OperatorUser, OperatorPassword);
        using var detailResponse = await SendAsync(host, HttpMethod.Get, $"/api/cases/{caseId}", operatorToken, null);
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

    private async Task<(int ExitCode, string Output)> RunScriptAsync(string browserDirectory, HotlineHost host, string caseId, string conversationId)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = browserDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in new[]
        {
            "operator-console.mjs",
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
            "--chromium", ChromiumPath,
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        process.StandardInput.Close();
        var output = new StringBuilder();
        var errors = process.StandardError.ReadToEndAsync(Cancellation);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        timeout.CancelAfter(ScriptTimeout);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                output.AppendLine(line);
                if (line == "WAITING_FOR_WORKER_MESSAGE")
                {
                    // The worker writes while the operator has the case open: it must show up by polling.
                    await BotClient.ExchangeAsync(host.Client, BotClient.Message(FollowUp, conversationId, channel.ServiceUrl), Cancellation);
                }
            }

            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!Cancellation.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            output.AppendLine(CultureInfo.InvariantCulture, $"(killed after {ScriptTimeout.TotalSeconds} s)");
            return (-1, output + await errors);
        }

        var stderr = await errors;
        if (stderr.Length > 0)
        {
            output.AppendLine("stderr:").Append(stderr);
        }

        return (process.ExitCode, output.ToString());
    }

    private static void SkipUnlessBrowserIsThere(string browserDirectory)
    {
        string? missing = null;
        if (!File.Exists(ChromiumPath))
        {
            missing = $"{ChromiumPath} (apt-get install chromium)";
        }
        else if (!File.Exists(Path.Combine(browserDirectory, "node_modules", "playwright-core", "package.json")))
        {
            missing = "tests/browser/node_modules (npm ci --prefix tests/browser)";
        }
        else if (FindOnPath("node") is null)
        {
            missing = "node on PATH";
        }

        if (missing is null)
        {
            return;
        }

        if (Environment.GetEnvironmentVariable("HOTLINE_REQUIRE_BROWSER") == "1")
        {
            Assert.Fail($"HOTLINE_REQUIRE_BROWSER=1, but the browser test lacks {missing}.");
        }

        Assert.Skip($"The browser test needs {missing}.");
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    /// <summary>The folder holding HotlineBot.sln, found upwards from the test's output folder.</summary>
    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "HotlineBot.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No HotlineBot.sln above {AppContext.BaseDirectory}.");
    }

    private static async Task<string> TokenAsync(HotlineHost host, string username, string password)
    {
        using var response = await host.Client.PostAsJsonAsync("/api/auth/token", new { username, password }, Cancellation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancellation))!["token"]!;
    }

    private static async Task<HttpResponseMessage> SendAsync(HotlineHost host, HttpMethod method, string path, string token, object? body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await host.Client.SendAsync(request, Cancellation);
    }
}
