using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

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

    private readonly HostFactory _factory;

    private AccountsHost(HostFactory factory, Uri baseAddress)
    {
        _factory = factory;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(20) };
    }

    public HttpClient Client { get; }

    /// <summary>Starts the host and waits until GET /healthz answers 200.</summary>
    public static async Task<AccountsHost> StartAsync(string dataDirectory, string? adminUser, string? adminPassword, CancellationToken cancellationToken)
    {
        var factory = new HostFactory(new Dictionary<string, string?>
        {
            ["Hotline:DataDirectory"] = dataDirectory,
            ["Hotline:Bootstrap:AdminUser"] = adminUser,
            ["Hotline:Bootstrap:AdminPassword"] = adminPassword,
        });
        AccountsHost? host = null;
        try
        {
            factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            factory.StartServer();
            var address = factory.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses
                .Select(a => new Uri(a))
                .Single(a => a.Scheme == Uri.UriSchemeHttp);
            host = new AccountsHost(factory, address);
            await host.WaitUntilHealthyAsync(cancellationToken);
            return host;
        }
        catch
        {
            if (host is not null)
            {
                await host.DisposeAsync();
            }
            else
            {
                await factory.DisposeAsync();
            }

            throw;
        }
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

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
    }

    private async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                using var response = await Client.GetAsync(new Uri("/healthz", UriKind.Relative), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("/healthz did not answer 200 within 20 s");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private sealed class HostFactory(IDictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment(Environments.Production);
            builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(settings));
        }
    }
}
