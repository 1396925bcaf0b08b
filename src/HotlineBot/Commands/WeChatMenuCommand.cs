using HotlineBot.WeChat;
using HotlineBot.WeChat.Api;
using HotlineBot.WeChat.Channel;
using Microsoft.Extensions.Options;

namespace HotlineBot.Commands;

/// <summary><c>wechat menu</c>: replaces the Official Account's menu with 问政策 / 转人工 / 我的工单.</summary>
internal sealed class WeChatMenuCommand : HostCommand
{
    public override async Task<int> RunAsync(IServiceProvider services, TextWriter output, TextReader input)
    {
        if (!services.GetRequiredService<IOptions<WeChatOptions>>().Value.Enabled)
        {
            await output.WriteLineAsync($"The WeChat channel is off: set {WeChatOptions.SectionName}:Token, AppId and AppSecret first.");
            return 2;
        }

        try
        {
            await services.GetRequiredService<WeChatApiClient>().CreateMenuAsync(WeChatMenu.ToJson());
        }
        catch (WeChatApiException e)
        {
            await output.WriteLineAsync($"WeChat refused the menu: errcode {e.ErrorCode} {e.ErrorMessage}");
            return 1;
        }
        catch (HttpRequestException e)
        {
            await output.WriteLineAsync($"Could not reach the WeChat API: {e.Message}");
            return 1;
        }

        await output.WriteLineAsync("Menu created: " + string.Join(" / ", WeChatMenu.Buttons.Select(b => $"{b.Name} ({b.Key})")));
        return 0;
    }
}
