using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

using HotlineBot.Tests.Integration;

namespace HotlineBot.Tests.Accounts;

/// <summary>
/// The real host (Program, Production environment) on real Kestrel on a free loopback port, with its
/// files under the given data directory and the bootstrap admin settings a deployment would pass as
/// <c>Hotline__Bootstrap__AdminUser</c> / <c>Hotline__Bootstrap__AdminPassword</c> (given here as the
/// same configuration keys, so parallel tests do not share process environment variables).
/// </summary>
public sealed class AccountsHost : IAsyncDisposable
{
    public const string AdminUser = "chief";
    public const string AdminPassword = "Union12351Hotline";

    private readonly HotlineHost _host;

    private AccountsHost(HotlineHost host) => _host = host;

    public HttpClient Client => _host.Client;

    public IServiceProvider Services => _host.Services;

    /// <summary>Starts the host and waits until GET /healthz answers 200.</summary>
    public static Task<AccountsHost> StartAsync(string dataDirectory, string? adminUser, string? adminPassword, CancellationToken cancellationToken) =>
        StartAsync(dataDirectory, adminUser, adminPassword, new Dictionary<string, string?>(), cancellationToken);

    /// <summary>As above, with more settings (configuration keys such as <c>Hotline:FollowUp:SurveyDelay</c>).</summary>
    public static async Task<AccountsHost> StartAsync(
        string dataDirectory, string? adminUser, string? adminPassword, IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        var all = new Dictionary<string, string?>(settings)
        {
            ["Hotline:Bootstrap:AdminUser"] = adminUser,
            ["Hotline:Bootstrap:AdminPassword"] = adminPassword,
        };
        return new(await HotlineHost.StartAsync(dataDirectory, all, cancellationToken));
    }

    /// <summary>The bootstrap admin's host: <see cref="AdminUser"/> / <see cref="AdminPassword"/>.</summary>
    public static Task<AccountsHost> StartWithAdminAsync(string dataDirectory, CancellationToken cancellationToken) =>
        StartAsync(dataDirectory, AdminUser, AdminPassword, cancellationToken);

    /// <summary>POST /api/auth/token as a sign-in form would.</summary>
    public Task<HttpResponseMessage> RequestTokenAsync(string username, string password, CancellationToken cancellationToken) =>
        Client.PostAsJsonAsync("/api/auth/token", new { username, password }, cancellationToken);

    /// <summary>A token for the account; fails the test unless the host issues one.</summary>
    public async Task<string> TokenAsync(string username, string password, CancellationToken cancellationToken)
    {
        using var response = await RequestTokenAsync(username, password, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
        return (string)body["token"]!;
    }

    /// <summary>Sends a request with the bearer token (none when null).</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, object? body, CancellationToken cancellationToken)
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

        return Client.SendAsync(request, cancellationToken);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
