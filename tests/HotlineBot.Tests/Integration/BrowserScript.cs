using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace HotlineBot.Tests.Integration;

/// <summary>
/// Runs a real-browser check of tests/browser (node with playwright-core, driving Debian's chromium) against a
/// running host. Skipped, with the reason, when chromium, node or the scripts' node_modules are missing, unless
/// HOTLINE_REQUIRE_BROWSER=1 (as .ci/run sets), which makes that a failure.
/// </summary>
internal static class BrowserScript
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(3);

    /// <summary>tests/browser, where the scripts and their node_modules are.</summary>
    public static string ScriptsDirectory { get; } = Path.Combine(RepositoryRoot(), "tests", "browser");

    public static void SkipUnlessAvailable()
    {
        string? missing = null;
        if (!File.Exists(ChromiumPath))
        {
            missing = $"{ChromiumPath} (apt-get install chromium)";
        }
        else if (!File.Exists(Path.Combine(ScriptsDirectory, "node_modules", "playwright-core", "package.json")))
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

    /// <summary>
    /// Runs <c>node SCRIPT ARGUMENTS... --chromium /usr/bin/chromium</c> in tests/browser. Each line the script
    /// prints is handed to <paramref name="onLine"/> as it comes (the script may wait for what the test does then).
    /// </summary>
    public static async Task<BrowserRun> RunAsync(string script, IEnumerable<string> arguments, Func<string, Task>? onLine, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = ScriptsDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments.Concat(["--chromium", ChromiumPath]))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        process.StandardInput.Close();
        var output = new StringBuilder();
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ScriptTimeout);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                output.AppendLine(line);
                if (onLine is not null)
                {
                    await onLine(line);
                }
            }

            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            output.AppendLine(CultureInfo.InvariantCulture, $"(killed after {ScriptTimeout.TotalSeconds} s)");
            return new BrowserRun(-1, output + await errors);
        }
        catch
        {
            // A failed step of the test's own (an assertion in onLine) leaves no browser behind.
            process.Kill(entireProcessTree: true);
            throw;
        }

        var stderr = await errors;
        if (stderr.Length > 0)
        {
            output.AppendLine("stderr:").Append(stderr);
        }

        return new BrowserRun(process.ExitCode, output.ToString());
    }

    /// <summary>A bearer token for the account, from <c>POST /api/auth/token</c>.</summary>
    public const string AdminUser = "chief";
    public const string AdminPassword = "Union12351Hotline";

    /// <summary>
    /// The real host with the bootstrap admin, polling follow-up jobs often (an operator's reply is delivered
    /// by one), and a token for the admin.
    /// </summary>
    public static async Task<(HotlineHost Host, string AdminToken)> StartHostAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var host = await HotlineHost.StartAsync(
            dataDirectory,
            new Dictionary<string, string?>
            {
                ["Hotline:Bootstrap:AdminUser"] = AdminUser,
                ["Hotline:Bootstrap:AdminPassword"] = AdminPassword,
                ["Hotline:FollowUp:SchedulePollingInterval"] = "00:00:00.500",
            },
            cancellationToken);
        return (host, await TokenAsync(host, AdminUser, AdminPassword, cancellationToken));
    }

    public static async Task<string> TokenAsync(HotlineHost host, string username, string password, CancellationToken cancellationToken)
    {
        using var response = await host.Client.PostAsJsonAsync("/api/auth/token", new { username, password }, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!["token"]!;
    }

    /// <summary>A call to the host's API as the token's account, with <paramref name="body"/> as JSON when there is one.</summary>
    public static async Task<HttpResponseMessage> SendAsync(HotlineHost host, HttpMethod method, string path, string token, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await host.Client.SendAsync(request, cancellationToken);
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
}

/// <summary>How a browser script ended: its exit code and everything it printed.</summary>
internal sealed record BrowserRun(int ExitCode, string Output)
{
    public IReadOnlyList<string> Lines => Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();

    /// <summary>Exited 0 after printing PASS.</summary>
    public bool Passed => ExitCode == 0 && Lines.Contains("PASS");
}
