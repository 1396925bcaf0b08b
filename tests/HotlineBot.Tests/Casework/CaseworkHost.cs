using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using HotlineBot.Tests.Accounts;
using HotlineBot.Tests.Integration;

namespace HotlineBot.Tests.Casework;

/// <summary>
/// The real host with its Hangfire server and short follow-up delays, a real HTTP channel that receives
/// what the bot sends proactively, the bootstrap admin and one operator. Workers talk through
/// /api/messages (expectReplies, with the channel as serviceUrl, so later messages reach the channel).
/// </summary>
public sealed class CaseworkHost : IAsyncDisposable
{
    public const string OperatorUser = "liwei";
    public const string OperatorPassword = "Operator12351Pass";

    private CaseworkHost(AccountsHost host, ChannelServer channel, string adminToken, string operatorToken)
    {
        Host = host;
        Channel = channel;
        AdminToken = adminToken;
        OperatorToken = operatorToken;
    }

    public AccountsHost Host { get; }

    public ChannelServer Channel { get; }

    public string AdminToken { get; }

    public string OperatorToken { get; }

    /// <summary>Follow-up settings that make a test's waits short (the schedule poll is 15 s by default).</summary>
    public static Dictionary<string, string?> FastFollowUps(TimeSpan surveyDelay) => new()
    {
        ["Hotline:FollowUp:SchedulePollingInterval"] = "00:00:00.200",
        ["Hotline:FollowUp:SurveyDelay"] = surveyDelay.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Starts the channel and the host (reusing <paramref name="channel"/> when given, to survive a host restart).</summary>
    public static async Task<CaseworkHost> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken, ChannelServer? channel = null)
    {
        if (channel is null)
        {
            channel = new ChannelServer();
            await channel.InitializeAsync();
        }

        var host = await AccountsHost.StartAsync(dataDirectory, AccountsHost.AdminUser, AccountsHost.AdminPassword, settings, cancellationToken);
        var admin = await host.TokenAsync(AccountsHost.AdminUser, AccountsHost.AdminPassword, cancellationToken);
        using (var created = await host.SendAsync(HttpMethod.Post, "/api/accounts", admin, new { username = OperatorUser, password = OperatorPassword, role = "operator" }, cancellationToken))
        {
            Assert.True(created.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"creating the operator: {created.StatusCode}");
        }

        var operatorToken = await host.TokenAsync(OperatorUser, OperatorPassword, cancellationToken);
        return new CaseworkHost(host, channel, admin, operatorToken);
    }

    /// <summary>
    /// One worker turn through /api/messages; the message replies. Proactive messages go to
    /// <paramref name="serviceUrl"/>: the test channel unless given.
    /// </summary>
    public async Task<IReadOnlyList<JsonObject>> SayAsync(string conversationId, string text, CancellationToken cancellationToken, Uri? serviceUrl = null) =>
        BotClient.Messages(await BotClient.ExchangeAsync(Host.Client, BotClient.Message(text, conversationId, serviceUrl ?? Channel.ServiceUrl), cancellationToken));

    /// <summary>A worker asks for a person and confirms; the case id and when the confirmation arrived.</summary>
    public async Task<(string CaseId, long ConfirmedAt)> OpenCaseAsync(string conversationId, CancellationToken cancellationToken, Uri? serviceUrl = null)
    {
        foreach (var step in new[] { "转人工", "公司拖欠三个月工资不发", "13812348000", "工作日下午" })
        {
            await SayAsync(conversationId, step, cancellationToken, serviceUrl);
        }

        var done = Assert.Single(await SayAsync(conversationId, "是", cancellationToken, serviceUrl));
        var confirmedAt = Stopwatch.GetTimestamp();
        var caseId = (string?)done["channelData"]?["hotline"]?["caseId"];
        Assert.False(string.IsNullOrEmpty(caseId), "the confirmation carries the case id");
        return (caseId!, confirmedAt);
    }

    /// <summary>Calls the API with a bearer token and returns the status and the JSON body (null when empty or not JSON, as a page).</summary>
    public async Task<(HttpStatusCode Status, JsonNode? Body)> ApiAsync(HttpMethod method, string path, string? token, object? body, CancellationToken cancellationToken)
    {
        using var response = await Host.SendAsync(method, path, token, body, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var json = response.Content.Headers.ContentType?.MediaType?.EndsWith("json", StringComparison.Ordinal) == true && text.Length > 0;
        return (response.StatusCode, json ? JsonNode.Parse(text) : null);
    }

    /// <summary>Polls GET /api/cases/{id} until <paramref name="until"/> holds; the last detail.</summary>
    public async Task<JsonNode> WaitForCaseAsync(string caseId, Func<JsonNode, bool> until, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var (status, body) = await ApiAsync(HttpMethod.Get, $"/api/cases/{caseId}", AdminToken, null, cancellationToken);
            Assert.Equal(HttpStatusCode.OK, status);
            if (until(body!) || DateTime.UtcNow > deadline)
            {
                return body!;
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>The proactive messages the channel received for the conversation with this hotline kind.</summary>
    public Task<IReadOnlyList<ChannelPost>> WaitForKindAsync(string conversationId, string kind, TimeSpan timeout, CancellationToken cancellationToken) =>
        Channel.WaitForAsync(p => p.ConversationId == conversationId && (string?)p.Activity["channelData"]?["hotline"]?["kind"] == kind, timeout, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Channel.DisposeAsync();
    }

    /// <summary>Stops the host but keeps the channel (for a restart).</summary>
    public ValueTask StopHostAsync() => Host.DisposeAsync();
}
