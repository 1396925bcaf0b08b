using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using HotlineBot.BotFramework.Authentication;
using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Connector;
using HotlineBot.BotFramework.Integration;
using HotlineBot.BotFramework.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HotlineBot.BotFramework.Tests.Authentication;

/// <summary>The bot endpoint on real Kestrel, with an app id: channel tokens decide who is heard.</summary>
public sealed class BotEndpointAuthenticationTests(ChannelKeyServer keys) : IClassFixture<ChannelKeyServer>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BotEndpoint_AnswersAChannelWithAValidToken()
    {
        await using var bot = await StartBotAsync();
        using var request = Post(bot.Address, "Bearer " + keys.Token());

        using var response = await bot.Client.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var replies = await response.Content.ReadFromJsonAsync<ExpectedReplies>(ProtocolJson.Options, Cancel);
        Assert.Equal("收到：你好", Assert.Single(replies!.Activities).Text);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer not-a-jwt")]
    public async Task BotEndpoint_Answers401_WithoutAValidToken(string? authorization)
    {
        await using var bot = await StartBotAsync();
        using var request = Post(bot.Address, authorization);

        using var response = await bot.Client.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task BotEndpoint_Answers401_ForATokenOfAnotherServiceUrl()
    {
        await using var bot = await StartBotAsync();
        using var request = Post(bot.Address, "Bearer " + keys.Token(serviceUrl: "https://elsewhere.example/"));

        using var response = await bot.Client.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static HttpRequestMessage Post(Uri address, string? authorization)
    {
        var activity = ChannelKeyServer.Message();
        activity.DeliveryMode = DeliveryModes.ExpectReplies;
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, "api/messages"))
        {
            Content = JsonContent.Create(activity, options: ProtocolJson.Options),
        };
        if (authorization is not null)
        {
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
        }

        return request;
    }

    private async Task<BotHost> StartBotAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["BotFramework:MicrosoftAppId"] = ChannelKeyServer.AppId,
            ["BotFramework:MicrosoftAppPassword"] = "password",
            ["BotFramework:OpenIdMetadataUrl"] = keys.MetadataUrl,
            ["BotFramework:ChannelTokenIssuer"] = ChannelKeyServer.Issuer,
        });
        builder.Services.AddBotFrameworkAuthentication();
        builder.Services.AddHttpClient<IConnectorClient, ConnectorClient>();
        builder.Services.AddSingleton<IBotFrameworkHttpAdapter, BotFrameworkHttpAdapter>();
        builder.Services.AddSingleton<IBot, EchoBot>();
        var app = builder.Build();
        app.MapPost("/api/messages", (HttpContext context, IBotFrameworkHttpAdapter adapter, IBot bot) =>
            adapter.ProcessAsync(context.Request, context.Response, bot, context.RequestAborted));
        await app.StartAsync(Cancel);
        var address = app.Urls.Single();
        return new BotHost(app, new Uri(address.TrimEnd('/') + "/"));
    }

    private sealed class EchoBot : ActivityHandler
    {
        protected override Task OnMessageActivityAsync(ITurnContext turnContext, CancellationToken cancellationToken) =>
            turnContext.SendActivityAsync("收到：" + turnContext.Activity.Text, cancellationToken);
    }

    private sealed class BotHost(WebApplication app, Uri address) : IAsyncDisposable
    {
        public Uri Address { get; } = address;

        public HttpClient Client { get; } = new();

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await app.DisposeAsync();
        }
    }
}
