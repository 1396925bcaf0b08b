using System.Text;
using System.Text.Json;
using HotlineBot.BotFramework.Schema;
using HotlineBot.WeChat.Channel;

namespace HotlineBot.WeChat.Tests.Channel;

public sealed class WeChatTextTests
{
    // Throws on a lone surrogate: a part that split a pair cannot be encoded.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [Fact]
    public void A_markdown_answer_reads_as_plain_text_with_its_feedback_buttons_numbered()
    {
        var answer = Message(
            """
            **劳动仲裁时效为1年，从你知道权利被侵害之日起算；仲裁不收费。**
            - 在职期间被拖欠工资，不受1年限制。
            - 申请书不会写，可找工会免费法律援助，详见[法律援助指南](https://example.org/legal_aid?id=3)。

            依据：《劳动争议调解仲裁法》第二十七条
            """,
            FeedbackButton("有帮助", "helpful"),
            FeedbackButton("没解决", "not-solved"));
        answer.TextFormat = "markdown";

        var rendering = WeChatText.Render([answer]);

        Assert.Equal(
            [
                """
                劳动仲裁时效为1年，从你知道权利被侵害之日起算；仲裁不收费。
                · 在职期间被拖欠工资，不受1年限制。
                · 申请书不会写，可找工会免费法律援助，详见法律援助指南（https://example.org/legal_aid?id=3）。

                依据：《劳动争议调解仲裁法》第二十七条

                回复数字选择：
                1 有帮助
                2 没解决
                """,
            ],
            rendering.Messages);
        Assert.Equal(["有帮助", "没解决"], rendering.Choices);
    }

    [Fact]
    public void Suggested_actions_of_two_activities_are_numbered_on_through_the_turn()
    {
        var rendering = WeChatText.Render(
        [
            Message("你好，我是在线助手。", CardAction.ImBack("转人工"), CardAction.ImBack("没解决")),
            Message("也可以直接问：", CardAction.ImBack("工资", "拖欠工资怎么办"), CardAction.ImBack("合同")),
        ]);

        Assert.Equal(
            [
                """
                你好，我是在线助手。

                回复数字选择：
                1 转人工
                2 没解决

                也可以直接问：

                回复数字选择：
                3 工资
                4 合同
                """,
            ],
            rendering.Messages);
        Assert.Equal(["转人工", "没解决", "拖欠工资怎么办", "合同"], rendering.Choices);
    }

    [Fact]
    public void Buttons_that_are_their_own_numbers_are_not_listed_again_but_can_still_be_picked()
    {
        var rendering = WeChatText.Render(
        [
            Message("想请你给这次服务打个分：1 很不满意 … 5 很满意，直接回复数字就行。", CardAction.ImBack("1"), CardAction.ImBack("2"), CardAction.ImBack("3"), CardAction.ImBack("4"), CardAction.ImBack("5")),
        ]);

        Assert.Equal(["想请你给这次服务打个分：1 很不满意 … 5 很满意，直接回复数字就行。"], rendering.Messages);
        Assert.Equal(["1", "2", "3", "4", "5"], rendering.Choices);
        Assert.Equal("4", WeChatChoices.Pick("4", rendering.Choices));
    }

    [Fact]
    public void Calls_and_links_are_shown_as_lines_and_a_repeated_choice_keeps_its_first_number()
    {
        var rendering = WeChatText.Render(
        [
            Message("这个问题我暂时答不上来，抱歉。", CardAction.ImBack("转人工"), CardAction.ImBack("有答案时告诉我"), Action(ActionTypes.Call, "拨打12351", "tel:12351")),
            Message("也可以看看指南。", CardAction.ImBack("转人工"), Action(ActionTypes.OpenUrl, "维权指南", "https://example.org/guide")),
        ]);

        Assert.Equal(
            [
                """
                这个问题我暂时答不上来，抱歉。

                回复数字选择：
                1 转人工
                2 有答案时告诉我
                拨打12351

                也可以看看指南。

                维权指南：https://example.org/guide
                """,
            ],
            rendering.Messages);
        Assert.Equal(["转人工", "有答案时告诉我"], rendering.Choices);
    }

    [Fact]
    public void A_hero_card_shows_its_title_subtitle_and_text_and_its_buttons_as_choices()
    {
        var card = new HeroCard
        {
            Title = "你想问的是哪一个？",
            Subtitle = "工资",
            Text = "**选一个**最接近的",
            Buttons = [CardAction.ImBack("拖欠工资怎么办"), CardAction.ImBack("加班费", "加班费怎么算")],
        };
        var activity = Activity.CreateMessageActivity();
        activity.Attachments = [card.ToAttachment()];

        var rendering = WeChatText.Render([activity]);

        Assert.Equal(
            [
                """
                你想问的是哪一个？
                工资
                选一个最接近的

                回复数字选择：
                1 拖欠工资怎么办
                2 加班费
                """,
            ],
            rendering.Messages);
        Assert.Equal(["拖欠工资怎么办", "加班费怎么算"], rendering.Choices);
    }

    [Fact]
    public void A_hero_card_received_as_json_renders_the_same()
    {
        var activity = Activity.CreateMessageActivity("请选择：");
        activity.Attachments =
        [
            new Attachment
            {
                ContentType = HeroCard.ContentType,
                Content = JsonDocument.Parse("""{"buttons":[{"type":"postBack","title":"是","value":"yes"},{"type":"imBack","title":"否"}]}""").RootElement,
            },
        ];

        var rendering = WeChatText.Render([activity]);

        Assert.Equal(["请选择：\n\n回复数字选择：\n1 是\n2 否"], rendering.Messages);
        Assert.Equal(["yes", "否"], rendering.Choices);
    }

    [Fact]
    public void Typing_events_and_end_of_conversation_are_skipped()
    {
        var handoff = new Activity { Type = ActivityTypes.Event, Name = "handoff.initiate", Text = "不该出现" };

        var rendering = WeChatText.Render(
        [
            Activity.CreateTypingActivity(),
            handoff,
            Message("已为你转接工作人员，请稍候。"),
            new Activity { Type = ActivityTypes.EndOfConversation, Text = "不该出现" },
        ]);

        Assert.Equal(["已为你转接工作人员，请稍候。"], rendering.Messages);
        Assert.Empty(rendering.Choices);
    }

    [Fact]
    public void Without_a_message_activity_there_is_nothing_to_send()
    {
        var rendering = WeChatText.Render([Activity.CreateTypingActivity(), new Activity { Type = ActivityTypes.Event, Name = "handoff.initiate" }]);

        Assert.Same(WeChatRendering.Empty, rendering);
        Assert.True(rendering.IsEmpty);
    }

    [Fact]
    public void Xml_text_is_left_as_it_is()
    {
        var activity = Message("<speak>你好 **原样**</speak>");
        activity.TextFormat = "xml";

        Assert.Equal(["<speak>你好 **原样**</speak>"], WeChatText.Render([activity]).Messages);
    }

    [Theory]
    [InlineData("# 标题\n正文", "标题\n正文")]
    [InlineData("## 小标题 ##", "小标题")]
    [InlineData("#12351不是标题", "#12351不是标题")]
    [InlineData("snake_case_name 和 5*8=40 和 5*8*2", "snake_case_name 和 5*8=40 和 5*8*2")]
    [InlineData("这是*重点*，那是_强调_，**加粗**后***都有***", "这是重点，那是强调，加粗后都有")]
    [InlineData("__粗体__ 和 ~~删除~~", "粗体 和 删除")]
    [InlineData("\\*不是强调\\*", "*不是强调*")]
    [InlineData("见[https://a.cn](https://a.cn)", "见https://a.cn")]
    [InlineData("见[说明](https://a.cn/x_y_z)和https://a.cn/a_b_c", "见说明（https://a.cn/x_y_z）和https://a.cn/a_b_c")]
    [InlineData("**详见https://a.cn/x_y**，_也见_https://a.cn/z", "详见https://a.cn/x_y，也见https://a.cn/z")]
    [InlineData("![工会标志](https://a.cn/logo.png)欢迎", "工会标志欢迎")]
    [InlineData("运行`dotnet *test*`即可", "运行dotnet *test*即可")]
    [InlineData("```bash\nvar a_b = 1 * 2;\n**不是粗体**\n```\n之后", "var a_b = 1 * 2;\n**不是粗体**\n之后")]
    [InlineData("> 引用的话\n>> 再引用", "引用的话\n再引用")]
    [InlineData("上文\n\n---\n\n下文", "上文\n\n下文")]
    [InlineData("1. 第一步\n2. 第二步\n   - 子项\n+ 加号项\n* 星号项", "1. 第一步\n2. 第二步\n   · 子项\n· 加号项\n· 星号项")]
    [InlineData("\r\n甲  \r\n\r\n\r\n\r\n乙\n", "甲\n\n乙")]
    public void Markdown_becomes_plain_text_as_a_phone_shows_it(string markdown, string expected)
    {
        Assert.Equal(expected, WeChatText.PlainText(markdown));
    }

    [Fact]
    public void A_long_chinese_answer_splits_into_parts_that_fit_and_lose_nothing()
    {
        var text = LongChineseText(5000);

        var parts = WeChatText.Split(text);

        Assert.True(parts.Count >= 8, $"{parts.Count} parts");
        Assert.All(parts, p => Assert.InRange(Encoding.UTF8.GetByteCount(p), 1, WeChatText.MaxMessageBytes));
        Assert.All(parts.SkipLast(1), p => Assert.EndsWith("。", p, StringComparison.Ordinal));
        Assert.Equal(text, string.Concat(parts));
    }

    [Theory]
    [InlineData("第一段第一句。第一段第二句。\n\n第二段。", 50, new[] { "第一段第一句。第一段第二句。", "第二段。" })]
    [InlineData("一二三四五\n\n六七\n八九十", 30, new[] { "一二三四五", "六七\n八九十" })]
    [InlineData("一二三四五六\n七八。九十", 30, new[] { "一二三四五六", "七八。九十" })]
    [InlineData("一二三四五。六七八九十。", 30, new[] { "一二三四五。", "六七八九十。" })]
    [InlineData("他说：“快走！”然后走了", 24, new[] { "他说：“快走！”", "然后走了" })]
    [InlineData("一二三四五六七八九十", 9, new[] { "一二三", "四五六", "七八九", "十" })]
    [InlineData("  短文本  ", 2048, new[] { "短文本" })]
    public void Split_prefers_paragraphs_then_lines_then_sentences_then_cuts_hard(string text, int maxBytes, string[] expected)
    {
        Assert.Equal(expected, WeChatText.Split(text, maxBytes));
    }

    [Fact]
    public void Only_whitespace_splits_into_nothing()
    {
        Assert.Empty(WeChatText.Split(" \n\n \t"));
    }

    [Fact]
    public void A_short_heading_does_not_become_a_message_of_its_own()
    {
        var text = "标题\n\n" + LongChineseText(1000);

        var parts = WeChatText.Split(text);

        Assert.StartsWith("标题\n\n", parts[0], StringComparison.Ordinal);
        Assert.True(Encoding.UTF8.GetByteCount(parts[0]) > WeChatText.MaxMessageBytes / 2);
    }

    [Fact]
    public void Emoji_surrogate_pairs_are_never_split()
    {
        var text = "a" + string.Concat(Enumerable.Repeat("😀", 1000));

        var parts = WeChatText.Split(text);

        Assert.True(parts.Count > 1);
        Assert.All(parts, p => Assert.InRange(StrictUtf8.GetByteCount(p), 1, WeChatText.MaxMessageBytes));
        Assert.Equal(text, string.Concat(parts));
    }

    [Fact]
    public void Too_long_a_reply_is_cut_to_max_messages_ending_with_the_note()
    {
        var text = LongChineseText(5000);
        var activity = Message(text, CardAction.ImBack("转人工"));

        var rendering = WeChatText.Render([activity], maxMessages: 2);

        Assert.Equal(2, rendering.Messages.Count);
        Assert.Equal(WeChatText.Split(text)[0], rendering.Messages[0]);
        Assert.EndsWith("。" + WeChatText.TruncatedNote, rendering.Messages[1], StringComparison.Ordinal);
        Assert.All(rendering.Messages, m => Assert.InRange(Encoding.UTF8.GetByteCount(m), 1, WeChatText.MaxMessageBytes));
        Assert.StartsWith(rendering.Messages[1][..^WeChatText.TruncatedNote.Length], text[rendering.Messages[0].Length..], StringComparison.Ordinal);
        // The numbered line was cut off: a number typed now picks nothing.
        Assert.Empty(rendering.Choices);
    }

    [Fact]
    public void A_reply_that_fits_max_messages_is_sent_whole()
    {
        var rendering = WeChatText.Render([Message(LongChineseText(1000), CardAction.ImBack("转人工"))], maxMessages: 2);

        Assert.Equal(2, rendering.Messages.Count);
        Assert.EndsWith("回复数字选择：\n1 转人工", rendering.Messages[1], StringComparison.Ordinal);
        Assert.Equal(["转人工"], rendering.Choices);
    }

    private static Activity Message(string text, params CardAction[] actions)
    {
        var activity = Activity.CreateMessageActivity(text);
        if (actions.Length > 0)
        {
            activity.SuggestedActions = new SuggestedActions { Actions = [.. actions] };
        }

        return activity;
    }

    private static CardAction Action(string type, string title, string value) => new()
    {
        Type = type,
        Title = title,
        Value = JsonSerializer.SerializeToElement(value),
    };

    /// <summary>Like the bot's feedback buttons: messageBack whose value is an object naming the entry.</summary>
    private static CardAction FeedbackButton(string title, string feedback) => new()
    {
        Type = ActionTypes.MessageBack,
        Title = title,
        Text = title,
        DisplayText = title,
        Value = JsonSerializer.SerializeToElement(new { feedback, entryId = "labour-arbitration-how-to-apply" }),
    };

    /// <summary>Sentences of a policy answer, repeated to exactly <paramref name="length"/> characters, no whitespace.</summary>
    private static string LongChineseText(int length)
    {
        var text = new StringBuilder();
        for (var n = 1; text.Length < length; n++)
        {
            text.Append('第').Append(n).Append("点：用人单位应当按照劳动合同约定和国家规定，以货币形式按时足额支付劳动者工资，不得克扣或者无故拖欠。");
        }

        return text.ToString(0, length);
    }
}
