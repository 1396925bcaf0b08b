using System.Net;
using Hangfire;
using Hangfire.Logging;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HotlineBot.Tests.Integration;

/// <summary>
/// The real host (<c>Program</c>, as <c>dotnet run --project src/HotlineBot</c> starts it: Production
/// environment, its own appsettings.json and seeds) on real Kestrel on a free loopback port, with its
/// files under the given data directory (<c>Hotline:DataDirectory</c>). Started means /healthz said 200.
/// </summary>
public sealed class HotlineHost : IAsyncDisposable
{
    private static readonly TimeSpan HealthTimeout = TimeSpan.FromSeconds(20);

    private readonly HostFactory _factory;

    private HotlineHost(HostFactory factory, Uri baseAddress)
    {
        _factory = factory;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(20) };
    }

    /// <summary>http://127.0.0.1:PORT/ the host listens on.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A plain HttpClient (real sockets) addressed to the host.</summary>
    public HttpClient Client { get; }

    public string DataDirectory => _factory.DataDirectory;

    /// <summary>The host's container, for what a test runs on the host's behalf (a recurring job, for one).</summary>
    public IServiceProvider Services => _factory.Services;

    /// <summary>Starts the host and waits, as tools do, until GET /healthz answers 200.</summary>
    public static Task<HotlineHost> StartAsync(string dataDirectory, CancellationToken cancellationToken) =>
        StartAsync(dataDirectory, new Dictionary<string, string?>(), cancellationToken);

    /// <summary>
    /// As <see cref="StartAsync(string, CancellationToken)"/>, with more settings given as the configuration
    /// keys a deployment would set as environment variables (parallel tests must not share the process environment).
    /// </summary>
    public static async Task<HotlineHost> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        var factory = new HostFactory(dataDirectory, settings);
        HotlineHost? host = null;
        try
        {
            factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            factory.StartServer();
            var address = factory.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses
                .Select(a => new Uri(a))
                .Single(a => a.Scheme == Uri.UriSchemeHttp);
            host = new HotlineHost(factory, address);
            using (await host.WaitUntilHealthyAsync(cancellationToken))
            {
                return host;
            }
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

    /// <summary>Polls GET /healthz until it answers 200 (connection refused and 503 mean "not yet"); the 200 response.</summary>
    public async Task<HttpResponseMessage> WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + HealthTimeout;
        var last = "no answer";
        while (true)
        {
            try
            {
                var response = await Client.GetAsync(new Uri("/healthz", UriKind.Relative), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return response;
                }

                last = $"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}";
                response.Dispose();
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"/healthz did not answer 200 within {HealthTimeout.TotalSeconds} s; last: {last}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Stops the host: the application stops as on Ctrl+C, and its services (stores included) are disposed.</summary>
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
    }

    /// <summary>Hangfire's logs in tests: none (see <see cref="HostFactory"/>).</summary>
    private sealed class SilentHangfireLogs : ILogProvider, ILog
    {
        public ILog GetLogger(string name) => this;

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }

    /// <summary>Program with only what a test must change: where its files live, and the settings it gives. The environment is dotnet run's (Production).</summary>
    private sealed class HostFactory(string dataDirectory, IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        public string DataDirectory { get; } = dataDirectory;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment(Environments.Production);
            builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(
                settings.Append(KeyValuePair.Create("Hotline:DataDirectory", (string?)DataDirectory))));
            // Hangfire keeps one log provider for the whole process, and each host sets it to its own logger
            // factory when it configures Hangfire. With several hosts in one test run, jobs and workers of one
            // host would log through another's factory, and fail once that host has stopped. So right after a
            // host configures Hangfire, the provider is one that outlives every host and logs nothing.
            builder.ConfigureTestServices(services =>
            {
                var configured = services.Single(d => d.ServiceType == typeof(IGlobalConfiguration));
                var create = configured.ImplementationFactory ?? throw new InvalidOperationException("Hangfire's configuration is no longer made by a factory.");
                services.Remove(configured);
                services.AddSingleton(provider =>
                {
                    var configuration = (IGlobalConfiguration)create(provider);
                    configuration.UseLogProvider(new SilentHangfireLogs());
                    return configuration;
                });
            });
        }
    }
}
