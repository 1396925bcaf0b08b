using System.Text.Json.Nodes;

namespace HotlineBot.WeChat.Channel;

/// <summary>
/// The Official Account's menu: three click buttons whose keys the channel turns into the words a worker would
/// type, so the bot needs to know nothing of menus.
/// </summary>
public static class WeChatMenu
{
    /// <summary>The buttons, left to right: click key, name shown (≤16 bytes) and the text the bot receives.</summary>
    public static IReadOnlyList<WeChatMenuButton> Buttons { get; } =
    [
        new("ASK", "问政策", "问政策"),
        new("HANDOFF", "转人工", "转人工"),
        new("MY_CASES", "我的工单", "我的工单"),
    ];

    /// <summary>What a click on <paramref name="key"/> says, or null for a key this menu does not have.</summary>
    public static string? TextFor(string? key) => Buttons.FirstOrDefault(b => string.Equals(b.Key, key, StringComparison.Ordinal))?.Text;

    /// <summary>The body of <c>/cgi-bin/menu/create</c>.</summary>
    public static string ToJson()
    {
        var buttons = new JsonArray();
        foreach (var button in Buttons)
        {
            buttons.Add(new JsonObject { ["type"] = "click", ["name"] = button.Name, ["key"] = button.Key });
        }

        return new JsonObject { ["button"] = buttons }.ToJsonString();
    }
}

/// <summary>One click button of <see cref="WeChatMenu"/>.</summary>
public sealed record WeChatMenuButton(string Key, string Name, string Text);
