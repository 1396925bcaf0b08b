using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Identity.Client;

namespace HotlineBot.BotFramework.Tests.Authentication;

/// <summary>
/// A stand-in for login.microsoftonline.com on a real Kestrel server: HTTPS on 127.0.0.1 (MSAL
/// refuses an http authority) with a self-signed certificate made for the test, answering the
/// OAuth 2.0 client-credentials grant at <c>POST /{tenant}/oauth2/v2.0/token</c>. Every other
/// request is recorded as unknown and answered 404.
/// </summary>
public sealed class TokenEndpointServer : IAsyncDisposable
{
    private static readonly int[] InvalidClientCodes = [7000215];

    private readonly WebApplication _app;
    private readonly PinnedHttpClientFactory _httpClientFactory;
    private int _tokensIssued;

    private TokenEndpointServer(WebApplication app, X509Certificate2 certificate)
    {
        _app = app;
        Certificate = certificate;
        _httpClientFactory = new PinnedHttpClientFactory(certificate);
    }

    public X509Certificate2 Certificate { get; }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Each token request's tenant (from the path) and form.</summary>
    public ConcurrentQueue<(string Tenant, IReadOnlyDictionary<string, string> Form)> TokenRequests { get; } = new();

    /// <summary>Requests the server has no answer for ("GET /path").</summary>
    public ConcurrentQueue<string> UnknownRequests { get; } = new();

    /// <summary>The status the token endpoint answers with; anything but 200 sends an OAuth error.</summary>
    public int TokenStatus { get; set; } = StatusCodes.Status200OK;

    /// <summary>The lifetime (<c>expires_in</c>, seconds) of the tokens issued.</summary>
    public int ExpiresIn { get; set; } = 3600;

    public static async Task<TokenEndpointServer> StartAsync(CancellationToken cancellationToken)
    {
        var certificate = CreateCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var server = new TokenEndpointServer(builder.Build(), certificate);
        server.MapEndpoints();
        await server._app.StartAsync(cancellationToken);
        var address = server._app.Urls.Single();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>MSAL's HTTP, trusting exactly this server's certificate.</summary>
    public IMsalHttpClientFactory HttpClientFactory => _httpClientFactory;

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _httpClientFactory.Dispose();
        Certificate.Dispose();
    }

    private void MapEndpoints()
    {
        _app.MapPost("/{tenant}/oauth2/v2.0/token", async (HttpContext context, string tenant) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            TokenRequests.Enqueue((tenant, form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal)));
            if (TokenStatus != StatusCodes.Status200OK)
            {
                return Results.Json(
                    new { error = "invalid_client", error_description = "AADSTS7000215: Invalid client secret provided.", error_codes = InvalidClientCodes },
                    statusCode: TokenStatus);
            }

            if (form["grant_type"] != "client_credentials")
            {
                return Results.Json(new { error = "unsupported_grant_type" }, statusCode: StatusCodes.Status400BadRequest);
            }

            var number = Interlocked.Increment(ref _tokensIssued);
            return Results.Json(new { token_type = "Bearer", expires_in = ExpiresIn, ext_expires_in = ExpiresIn, access_token = $"bot-token-{number}" });
        });
        _app.MapFallback(context =>
        {
            var request = $"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}";
            UnknownRequests.Enqueue(request);
            TestContext.Current.TestOutputHelper?.WriteLine($"token server: unknown request {request}");
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new("1.3.6.1.5.5.7.3.1")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), password: null);
    }

    private sealed class PinnedHttpClientFactory(X509Certificate2 trusted) : IMsalHttpClientFactory, IDisposable
    {
        private readonly HttpClient _client = new(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.Thumbprint == trusted.Thumbprint,
        });

        public HttpClient GetHttpClient() => _client;

        public void Dispose() => _client.Dispose();
    }
}
