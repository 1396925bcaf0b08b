using System.Collections.Concurrent;
using System.Text.Json;
using HotlineBot.BotFramework.Authentication;
using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Connector;
using HotlineBot.BotFramework.Integration;
using HotlineBot.BotFramework.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HotlineBot.BotFramework.Tests.Integration;

/// <summary>
/// Two real Kestrel servers on loopback: the bot (an echo bot behind our adapter at /api/messages)
/// and a channel that records what the bot POSTs to its Connector API.
/// </summary>
public sealed class ChannelFixture : IAsyncLifetime
{
    private WebApplication? _bot;
    private WebApplication? _channel;

    public ConcurrentQueue<(string Path, Activity Activity)> Received { get; } = new();

    /// <summary>How many times the channel fails a POST with 503 before accepting it.</summary>
    public int FailuresBeforeSuccess { get; set; }

    public Uri BotUrl { get; private set; } = null!;

    public Uri ChannelUrl { get; private set; } = null!;

    public HttpClient Http { get; } = new();

    /// <summary>The bot's adapter, for proactive turns.</summary>
    public BotFrameworkHttpAdapter Adapter => _bot!.Services.GetRequiredService<BotFrameworkHttpAdapter>();

    public async ValueTask InitializeAsync()
    {
        _channel = CreateApp(_ => { });
        _channel.MapPost("/v3/conversations/{conversationId}/activities/{**rest}", async (HttpContext http) =>
        {
            if (FailuresBeforeSuccess > 0)
            {
                FailuresBeforeSuccess--;
                return Results.StatusCode(503);
            }

            var activity = await JsonSerializer.DeserializeAsync<Activity>(http.Request.Body, ProtocolJson.Options);
            Received.Enqueue((http.Request.Path.Value!, activity!));
            return Results.Json(new ResourceResponse("sent-" + Received.Count));
        });
        await _channel.StartAsync();
        ChannelUrl = new Uri(_channel.Urls.First());

        _bot = CreateApp(services =>
        {
            services.Configure<BotFrameworkOptions>(o => o.MaxActivityBytes = 64 * 1024);
            services.AddSingleton<AnonymousAuthenticator>();
            services.AddSingleton<IChannelAuthenticator>(sp => sp.GetRequiredService<AnonymousAuthenticator>());
            services.AddSingleton<IAppCredentials>(sp => sp.GetRequiredService<AnonymousAuthenticator>());
            services.AddHttpClient<IConnectorClient, ConnectorClient>();
            services.AddSingleton<BotFrameworkHttpAdapter>();
            services.AddSingleton<IBot, EchoBot>();
        });
        _bot.MapPost("/api/messages", (HttpContext http, BotFrameworkHttpAdapter adapter, IBot bot) =>
            adapter.ProcessAsync(http.Request, http.Response, bot, http.RequestAborted));
        _bot.MapGet("/api/messages", (HttpContext http, BotFrameworkHttpAdapter adapter, IBot bot) =>
            adapter.ProcessAsync(http.Request, http.Response, bot, http.RequestAborted));
        await _bot.StartAsync();
        BotUrl = new Uri(_bot.Urls.First());
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_bot is not null)
        {
            await _bot.DisposeAsync();
        }

        if (_channel is not null)
        {
            await _channel.DisposeAsync();
        }
    }

    private static WebApplication CreateApp(Action<IServiceCollection> configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        configure(builder.Services);
        return builder.Build();
    }

    /// <summary>Echoes the text back, then says it is done, with a typing activity between.</summary>
    private sealed class EchoBot : ActivityHandler
    {
        protected override async Task OnMessageActivityAsync(ITurnContext turnContext, CancellationToken cancellationToken)
        {
            await turnContext.SendActivityAsync(Activity.CreateTypingActivity(), cancellationToken);
            await turnContext.SendActivityAsync("echo: " + turnContext.Activity.Text, cancellationToken);
            await turnContext.SendActivityAsync("done", cancellationToken);
        }
    }
}
