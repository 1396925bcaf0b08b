using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hangfire;
using HotlineBot.Cases.FollowUps;
using HotlineBot.FollowUps;
using HotlineBot.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.ScaleOut;

/// <summary>
/// Two instances of one hotline, as a scaled-out deployment runs them: two real hosts (real Program, real
/// Kestrel, two ports), each with its own data directory, sharing one real Redis under one key prefix. A real
/// HTTP channel receives what either sends proactively; the bootstrap admin and one operator sign in on A.
/// (Started with one instance, it is the hotline before a second one joins, or before both restart.)
/// </summary>
internal sealed class TwoInstances : IAsyncDisposable
{
    public const string AdminUser = "chief";
    public const string AdminPassword = "Union12351Hotline";
    public const string OperatorUser = "operator-zhao";
    public const string OperatorPassword = "Hotline12351Zhao";

    /// <summary>The handoff's callback phone, and how the bot shows it back.</summary>
    public const string Phone = "13812348000";
    public const string MaskedPhone = "138****8000";

    /// <summary>What a worker types to hand off, step by step, up to (not including) the confirmation.</summary>
    public static readonly IReadOnlyList<string> HandoffSteps = ["转人工", "公司拖欠三个月工资不发", Phone, "工作日下午"];

    /// <summary>How long a cross-instance effect may take before a test gives up (a bound, not a timing claim).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly List<Instance> _instances;

    private TwoInstances(List<Instance> instances, ChannelServer channel, string prefix)
    {
        _instances = instances;
        Channel = channel;
        Prefix = prefix;
    }

    public HotlineHost A => _instances[0].Host;

    public HotlineHost B => _instances.Count > 1 ? _instances[1].Host : throw new InvalidOperationException("Only A was started.");

    public ChannelServer Channel { get; }

    /// <summary>The key prefix both instances write under.</summary>
    public string Prefix { get; }

    public string AdminToken { get; private set; } = string.Empty;

    public string OperatorToken { get; private set; } = string.Empty;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>
    /// The settings every instance of one hotline gets: the shared Redis, its key prefix, the first admin,
    /// a schedule poll of half a second, and <paramref name="more"/>.
    /// </summary>
    public static Dictionary<string, string?> Settings(RedisServer redis, string prefix, IReadOnlyDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.Configuration,
            ["Hotline:Redis:Prefix"] = prefix,
            ["Hotline:Bootstrap:AdminUser"] = AdminUser,
            ["Hotline:Bootstrap:AdminPassword"] = AdminPassword,
            ["Hotline:FollowUp:SchedulePollingInterval"] = "00:00:00.5",
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>
    /// Starts the instances (both, or only A for <paramref name="count"/> 1) at the same time on <paramref name="prefix"/>
    /// (a fresh one unless given), then signs in on A.
    /// </summary>
    public static async Task<TwoInstances> StartAsync(RedisServer redis, IReadOnlyDictionary<string, string?>? more = null, string? prefix = null, int count = 2)
    {
        prefix ??= RedisServer.NewPrefix();
        var settings = Settings(redis, prefix, more);
        var channel = new ChannelServer();
        await channel.InitializeAsync();
        var starting = Enumerable.Range(0, count).Select(_ => Instance.StartAsync(settings)).ToList();
        try
        {
            await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var started in starting.Where(s => s.IsCompletedSuccessfully))
            {
                await started.Result.DisposeAsync();
            }

            await channel.DisposeAsync();
            throw;
        }

        var instances = new TwoInstances([.. starting.Select(s => s.Result)], channel, prefix);
        try
        {
            await instances.SignInAsync();
            return instances;
        }
        catch
        {
            await instances.DisposeAsync();
            throw;
        }
    }

    /// <summary>A's instance or B's, alternating from A: turn 0 on A, turn 1 on B, and so on.</summary>
    public HotlineHost Alternate(int turn) => turn % 2 == 0 ? A : B;

    /// <summary>The name of an instance, for messages.</summary>
    public string NameOf(HotlineHost host) => host == A ? "A" : "B";

    /// <summary>
    /// One worker turn through <paramref name="host"/>'s /api/messages (expectReplies; proactive messages go to
    /// the test channel): its single message reply, which must be of <paramref name="expectedKind"/>.
    /// </summary>
    public async Task<JsonObject> SayAsync(HotlineHost host, string conversationId, string text, string expectedKind)
    {
        var reply = Assert.Single(await RepliesAsync(host, conversationId, text));
        Assert.True(BotClient.Kind(reply) == expectedKind, $"\"{text}\" on {NameOf(host)} wanted a {expectedKind} reply, got: {reply.ToJsonString()}");
        return reply;
    }

    /// <summary>One worker turn through <paramref name="host"/>: the message replies.</summary>
    public async Task<List<JsonObject>> RepliesAsync(HotlineHost host, string conversationId, string text) =>
        BotClient.Messages(await BotClient.ExchangeAsync(host.Client, BotClient.Message(text, conversationId, Channel.ServiceUrl), Cancellation));

    /// <summary>From the end of <see cref="HandoffSteps"/>: "是" on <paramref name="host"/>; the case id the confirmation names.</summary>
    public async Task<string> ConfirmAsync(HotlineHost host, string conversationId)
    {
        var done = await SayAsync(host, conversationId, "是", "handoff");
        var caseId = (string?)done["channelData"]?["hotline"]?["caseId"];
        Assert.False(string.IsNullOrEmpty(caseId), "the confirmation carries the case id: " + done.ToJsonString());
        Assert.Contains(caseId, (string?)done["text"], StringComparison.Ordinal);
        return caseId;
    }

    /// <summary>Calls <paramref name="host"/>'s API with a bearer token (and an If-Match version when given): the status and the JSON body (null when empty or not JSON).</summary>
    public static async Task<(HttpStatusCode Status, JsonNode? Body)> ApiAsync(HotlineHost host, HttpMethod method, string path, string? token, object? body = null, int? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (ifMatch is { } version)
        {
            request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await host.Client.SendAsync(request, Cancellation);
        var text = await response.Content.ReadAsStringAsync(Cancellation);
        var json = response.Content.Headers.ContentType?.MediaType?.EndsWith("json", StringComparison.Ordinal) == true && text.Length > 0;
        return (response.StatusCode, json ? JsonNode.Parse(text) : null);
    }

    /// <summary>GET /api/cases/{id} on <paramref name="host"/> as the admin, polled until <paramref name="until"/> holds or <see cref="Patience"/> ends; the last detail.</summary>
    public async Task<JsonNode> WaitForCaseAsync(HotlineHost host, string caseId, Func<JsonNode, bool> until)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var (status, detail) = await ApiAsync(host, HttpMethod.Get, $"/api/cases/{caseId}", AdminToken);
            Assert.True(status == HttpStatusCode.OK, $"GET /api/cases/{caseId} on {NameOf(host)}: {(int)status} {detail?.ToJsonString()}");
            if (until(detail!) || DateTime.UtcNow > deadline)
            {
                return detail!;
            }

            await Task.Delay(100, Cancellation);
        }
    }

    /// <summary>How many entries of the case's history have this action.</summary>
    public static int CountHistory(JsonNode detail, string action) =>
        detail["history"]!.AsArray().Count(e => (string?)e!["action"] == action);

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_instances.Select(i => i.DisposeAsync().AsTask()));
        await Channel.DisposeAsync();
    }

    private async Task SignInAsync()
    {
        AdminToken = await TokenAsync(A, AdminUser, AdminPassword);
        var (created, body) = await ApiAsync(A, HttpMethod.Post, "/api/accounts", AdminToken, new { username = OperatorUser, password = OperatorPassword, role = "operator" });
        // Conflict: an earlier instance on this prefix created them already.
        Assert.True(created is HttpStatusCode.Created or HttpStatusCode.Conflict, $"creating the operator on A: {(int)created} {body?.ToJsonString()}");
        OperatorToken = await TokenAsync(A, OperatorUser, OperatorPassword);
    }

    /// <summary>POST /api/auth/token on <paramref name="host"/>, as the sign-in form does; the token.</summary>
    public static async Task<string> TokenAsync(HotlineHost host, string username, string password)
    {
        using var response = await host.Client.PostAsJsonAsync("/api/auth/token", new { username, password }, Cancellation);
        var text = await response.Content.ReadAsStringAsync(Cancellation);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"signing in {username}: {(int)response.StatusCode} {text}");
        return (string)JsonNode.Parse(text)!["token"]!;
    }

    /// <summary>One instance: the host and its own data directory, deleted when it stops.</summary>
    private sealed class Instance : IAsyncDisposable
    {
        private readonly string _dataDirectory;

        private Instance(HotlineHost host, string dataDirectory)
        {
            Host = host;
            _dataDirectory = dataDirectory;
        }

        public HotlineHost Host { get; }

        public static async Task<Instance> StartAsync(IReadOnlyDictionary<string, string?> settings)
        {
            var dataDirectory = TempDataDirectory.Create();
            try
            {
                return new Instance(await HotlineHost.StartAsync(dataDirectory, settings, Cancellation), dataDirectory);
            }
            catch
            {
                TempDataDirectory.Delete(dataDirectory);
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            TempDataDirectory.Delete(_dataDirectory);
        }
    }
}

/// <summary>Both instances of a test class, started on the first test that asks (after it checked Redis is there) and stopped after the last.</summary>
public sealed class TwoInstancesFixture : IAsyncDisposable
{
    private readonly SemaphoreSlim _starting = new(1, 1);
    private TwoInstances? _instances;

    internal async Task<TwoInstances> GetAsync(RedisServer redis)
    {
        _ = redis.Connection;
        await _starting.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            return _instances ??= await TwoInstances.StartAsync(redis);
        }
        finally
        {
            _starting.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_instances is not null)
        {
            await _instances.DisposeAsync();
        }

        _starting.Dispose();
    }
}

/// <summary>
/// The follow-up jobs in the shared Hangfire storage, as its monitoring API lists them: the distinct jobs of
/// one case and kind in each state a job passes through on its way to done (and failed, which it must not reach).
/// </summary>
internal sealed record FollowUpJobCount(int Scheduled, int Enqueued, int Processing, int Succeeded, int Failed)
{
    private const int Page = 1000;

    /// <summary>Every job that exists for it, whatever its state (failed aside).</summary>
    public int Live => Scheduled + Enqueued + Processing + Succeeded;

    /// <summary>Done: none left to run.</summary>
    public bool Settled => Scheduled + Enqueued + Processing == 0;

    /// <summary>Counts the jobs of <see cref="FollowUpJobs"/>.RunAsync for <paramref name="caseId"/> and <paramref name="kind"/> in <paramref name="host"/>'s job storage.</summary>
    public static FollowUpJobCount Of(HotlineHost host, string caseId, FollowUpKind kind)
    {
        var monitoring = host.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        bool For(Hangfire.Common.Job? job) =>
            job is { Method.Name: nameof(FollowUpJobs.RunAsync) } && job.Args.Count > 1 && Equals(job.Args[0], caseId) && Equals(job.Args[1], kind);
        int Count<T>(IEnumerable<KeyValuePair<string, T>> jobs, Func<T, Hangfire.Common.Job?> job) =>
            jobs.Where(j => For(job(j.Value))).Select(j => j.Key).Distinct(StringComparer.Ordinal).Count();

        var enqueued = monitoring.Queues().Sum(q => Count(monitoring.EnqueuedJobs(q.Name, 0, Page), j => j.Job));
        return new FollowUpJobCount(
            Count(monitoring.ScheduledJobs(0, Page), j => j.Job),
            enqueued,
            Count(monitoring.ProcessingJobs(0, Page), j => j.Job),
            Count(monitoring.SucceededJobs(0, Page), j => j.Job),
            Count(monitoring.FailedJobs(0, Page), j => j.Job));
    }

    /// <summary>Polls until the follow-up's jobs are <see cref="Settled"/> or <paramref name="patience"/> ends; the last count.</summary>
    public static async Task<FollowUpJobCount> SettledAsync(HotlineHost host, string caseId, FollowUpKind kind, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var count = Of(host, caseId, kind);
            if ((count.Settled && count.Live > 0) || DateTime.UtcNow > deadline)
            {
                return count;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
