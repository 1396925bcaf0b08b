using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using HotlineBot.Tests.Casework;
using HotlineBot.Tests.Integration;

namespace HotlineBot.Tests.Curation;

/// <summary>One real host per test class with the bootstrap admin and an operator, and requests as either.</summary>
public sealed class KnowledgeAdminFixture : IAsyncLifetime
{
    private CaseworkHost? _host;

    public string DataDirectory { get; } = TempDataDirectory.Create();

    public CaseworkHost Host => _host ?? throw new InvalidOperationException("The host has not been started.");

    public async ValueTask InitializeAsync() =>
        _host = await CaseworkHost.StartAsync(DataDirectory, CaseworkHost.FastFollowUps(TimeSpan.FromHours(1)), TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.Host.DisposeAsync();
            await _host.Channel.DisposeAsync();
        }

        TempDataDirectory.Delete(DataDirectory);
    }

    /// <summary>A request as the admin (or <paramref name="token"/>; none for an empty string), with JSON or text content and an If-Match version.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null, int? ifMatch = null, string? token = null, string? text = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        token ??= Host.AdminToken;
        if (token.Length > 0)
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
        else if (text is not null)
        {
            request.Content = new StringContent(text, Encoding.UTF8, "text/plain");
        }

        return Host.Host.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>The JSON body of a response that must have the given status.</summary>
    public static async Task<JsonObject> ReadAsync(HttpResponseMessage response, System.Net.HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>The entry as the API has it now.</summary>
    public async Task<JsonObject> EntryAsync(string id)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/api/knowledge/{id}");
        return await ReadAsync(response, System.Net.HttpStatusCode.OK);
    }

    /// <summary>A worker's question through /api/messages: the first message reply.</summary>
    public async Task<JsonObject> AskBotAsync(string question)
    {
        var replies = await Host.SayAsync(BotClient.NewConversationId(), question, TestContext.Current.CancellationToken);
        return replies[0];
    }
}
