using System.Globalization;
using HotlineBot.Commands;
using HotlineBot.Extensions;
using HotlineBot.Tests.Integration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace HotlineBot.Tests.WeChat;

/// <summary>
/// <c>wechat menu</c> run in process as Program runs a command (the host's services built, not started), with the
/// Hotline__WeChat__* settings a deployment sets given as their configuration keys, against a <see cref="FakeWeChatServer"/>.
/// </summary>
public sealed class WeChatMenuCommandTests : IAsyncLifetime
{
    private readonly string _dataDirectory = TempDataDirectory.Create();
    private FakeWeChatServer? _weChat;

    private FakeWeChatServer WeChat => _weChat!;

    public async ValueTask InitializeAsync() => _weChat = await FakeWeChatServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_weChat is not null)
        {
            await _weChat.DisposeAsync();
        }

        TempDataDirectory.Delete(_dataDirectory);
    }

    [Fact]
    public async Task WeChatMenu_CreatesTheThreeClickButtons_AndExitsZero()
    {
        var (exit, output) = await RunAsync(withToken: true);

        Assert.Equal(0, exit);
        Assert.Contains("问政策", output, StringComparison.Ordinal);
        var call = Assert.Single(WeChat.CallsTo("/cgi-bin/menu/create"));
        Assert.Equal(0, call.ErrorCode);
        var buttons = call.Body!["button"]!.AsArray().Select(b => b!).ToArray();
        Assert.Equal(["click", "click", "click"], buttons.Select(b => (string?)b["type"]));
        Assert.Equal(["问政策", "转人工", "我的工单"], buttons.Select(b => (string?)b["name"]));
        Assert.Equal(["ASK", "HANDOFF", "MY_CASES"], buttons.Select(b => (string?)b["key"]));
    }

    [Fact]
    public async Task WeChatMenu_WithTheChannelOff_ExitsTwo_NamingTheTokenSetting()
    {
        var (exit, output) = await RunAsync(withToken: false);

        Assert.Equal(2, exit);
        Assert.Contains("Hotline:WeChat:Token", output, StringComparison.Ordinal);
        Assert.Empty(WeChat.CallsTo("/cgi-bin/menu/create"));
    }

    /// <summary>Builds the host as Program does for a command and runs <c>wechat menu</c>; the exit code and what it printed.</summary>
    private async Task<(int Exit, string Output)> RunAsync(bool withToken)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Hotline:DataDirectory"] = _dataDirectory,
            ["Hotline:SeedsDirectory"] = TestSeeds.Directory,
            ["Hotline:WeChat:Token"] = withToken ? WeChatHost.Token : null,
            ["Hotline:WeChat:AppId"] = WeChat.AppId,
            ["Hotline:WeChat:AppSecret"] = WeChat.AppSecret,
            ["Hotline:WeChat:ApiBaseUrl"] = WeChat.BaseAddress.ToString(),
        };
        var command = HostCommand.Parse(["wechat", "menu"]);
        Assert.NotNull(command);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        command.Configure(builder);
        builder.AddHotline();
        await using var app = builder.Build();
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var input = new StringReader(string.Empty);
        var exit = await command.RunAsync(app.Services, output, input);
        return (exit, output.ToString());
    }
}
