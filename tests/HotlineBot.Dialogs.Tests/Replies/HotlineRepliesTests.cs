using System.Text.Json;
using HotlineBot.BotFramework.Schema;
using HotlineBot.Dialogs.Conversation;
using HotlineBot.Dialogs.Replies;
using HotlineBot.Knowledge.Entries;

namespace HotlineBot.Dialogs.Tests.Replies;

public sealed class HotlineRepliesTests(SeedsFixture fixture)
{
    private static PolicyEntry Entry(string id, string answer, params EntrySource[] sources) => new()
    {
        Id = id,
        Question = id + "？",
        Answer = answer,
        Category = "wages",
        Sources = sources,
        Status = EntryStatus.Published,
    };

    [Fact]
    public void Answer_AddsASourceLine_WhenTheAnswerHasNone()
    {
        var entry = Entry("overtime", "**150%**\n- 保留考勤记录。",
            new EntrySource("劳动法", "第四十四条"), new EntrySource("劳动法", "第四十一条"), new EntrySource("工资支付暂行规定", null));

        var reply = new HotlineReplies().Answer(entry, 0.81234);

        Assert.Equal("**150%**\n- 保留考勤记录。\n\n依据：《劳动法》第四十四条、第四十一条；《工资支付暂行规定》", reply.Text);
        Assert.Equal("markdown", reply.TextFormat);
        Assert.Equal(new HotlineMetadata(ReplyKinds.Answer, "overtime", 0.812), reply.GetHotlineMetadata());
    }

    [Fact]
    public void Answer_AddsASourceLine_EvenWhenTheAnswerMentionsTheWordInPassing()
    {
        var entry = Entry("x", "没有法律依据的罚款可以不交。", new EntrySource("劳动合同法", "第四条"));

        var text = new HotlineReplies().Answer(entry, 0.5).Text!;

        Assert.EndsWith("\n\n依据：《劳动合同法》第四条", text, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryPublishedAnswer_HasOneSourceParagraph_AndNoUnfilledPlaceholder()
    {
        var replies = new HotlineReplies(SeedsFixture.AnswerValues);

        Assert.All(fixture.Seeds.Published, entry =>
        {
            var text = replies.AnswerText(entry);
            var sourceLines = text.Split('\n').Where(l => l.StartsWith("依据", StringComparison.Ordinal)).ToList();
            Assert.Single(sourceLines);
            Assert.Contains("\n\n" + sourceLines[0], text, StringComparison.Ordinal);
            Assert.DoesNotContain("{{", text, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Answer_KeepsTheAnswersOwnSourceLine_InItsOwnParagraph()
    {
        var entry = Entry("x", "**要点**\n- 第一步\n依据：《劳动合同法》第十条", new EntrySource("劳动合同法", "第十条"));

        var text = new HotlineReplies().Answer(entry, 0.5).Text!;

        Assert.Equal("**要点**\n- 第一步\n\n依据：《劳动合同法》第十条", text);
    }

    [Fact]
    public void Answer_FillsPlaceholders_WithTheHostsValues()
    {
        var entry = fixture.Search.Find("chat-service-hours")!;

        var text = new HotlineReplies(SeedsFixture.AnswerValues).Answer(entry, 0.9).Text!;

        Assert.Contains("工作日9:00–17:30", text, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Clarify_CapsTheChoicesAtThree_AndEndsWithNoneOfThese()
    {
        var entries = Enumerable.Range(1, 5).Select(i => Entry("e" + i, "a")).ToList();

        var reply = HotlineReplies.Clarify(entries, 0.2);

        Assert.Equal(HotlineReplies.ClarifyText, reply.Text);
        Assert.Equal(["e1？", "e2？", "e3？", Feedback.NoneOfTheseText], reply.SuggestedActions!.Actions.Select(a => a.Title));
        Assert.Equal(["e1？", "e2？", "e3？"], reply.SuggestedActions.Actions.Take(3).Select(a => a.Value!.Value.GetString()));
        Assert.Equal(new HotlineMetadata(ReplyKinds.Clarify, Confidence: 0.2), reply.GetHotlineMetadata());
    }

    [Fact]
    public void Emergency_PutsTheLeadingNumbersFirst_ThenWhatToDo_ThenTheFollowUp()
    {
        var match = fixture.Emergencies.Detect("工头打人，工友头破血流")!;

        var lines = HotlineReplies.Emergency(match, caseId: null).Text!.Split('\n');

        Assert.Equal(3, lines.Length);
        Assert.StartsWith("请马上拨打120", lines[0], StringComparison.Ordinal);
        Assert.Contains("110", lines[0], StringComparison.Ordinal);
        Assert.Contains("止血", lines[1], StringComparison.Ordinal);
        Assert.Contains("12351", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Emergency_NamesTheUrgentCase_WhenOneOpened()
    {
        var match = fixture.Emergencies.Detect("宿舍着火了")!;

        var reply = HotlineReplies.Emergency(match, "C-17");

        Assert.Equal(new HotlineMetadata(ReplyKinds.Emergency, CaseId: "C-17"), reply.GetHotlineMetadata());
        Assert.Contains("编号C-17", reply.Text, StringComparison.Ordinal);
        Assert.Equal("tel:119", reply.SuggestedActions!.Actions[0].Value!.Value.GetString());
    }

    [Fact]
    public void Emergency_OffersACallback_OnlyForAnOpenedCase()
    {
        var match = fixture.Emergencies.Detect("宿舍着火了")!;

        var withCase = HotlineReplies.Emergency(match, "C-17", offerCallback: true);
        var withoutCase = HotlineReplies.Emergency(match, null, offerCallback: true);

        Assert.Equal(CallbackRequest.ButtonText, withCase.SuggestedActions!.Actions[^1].Title);
        Assert.All(withoutCase.SuggestedActions!.Actions, a => Assert.Equal(ActionTypes.Call, a.Type));
    }

    [Fact]
    public void Metadata_IsWrittenAsCamelCaseJson_WithoutEmptyFields()
    {
        var activity = HotlineReplies.Create(new HotlineMetadata(ReplyKinds.Status, CaseId: "C-1"), "处理中");

        var json = JsonSerializer.Serialize(activity, ProtocolJson.Options);

        Assert.Contains("\"channelData\":{\"hotline\":{\"kind\":\"status\",\"caseId\":\"C-1\"}}", json, StringComparison.Ordinal);
    }

    [Fact]
    public void WithHotlineMetadata_KeepsOtherChannelData()
    {
        var activity = Activity.CreateMessageActivity("x");
        activity.ChannelData = JsonSerializer.SerializeToElement(new { clientActivityID = "abc", hotline = new { kind = "prompt" } });

        activity.WithHotlineMetadata(new HotlineMetadata(ReplyKinds.Operator));

        Assert.Equal("abc", activity.ChannelData!.Value.GetProperty("clientActivityID").GetString());
        Assert.Equal(ReplyKinds.Operator, activity.GetHotlineMetadata()?.Kind);
    }

    [Fact]
    public void GetHotlineMetadata_ReadsWhatAClientSent_AndIsNullWithoutIt()
    {
        var json = """{"type":"message","channelData":{"hotline":{"kind":"answer","entryId":"e1","confidence":0.42}}}""";
        var activity = JsonSerializer.Deserialize<Activity>(json, ProtocolJson.Options)!;

        Assert.Equal(new HotlineMetadata("answer", "e1", 0.42), activity.GetHotlineMetadata());
        Assert.Null(Activity.CreateMessageActivity("x").GetHotlineMetadata());
    }
}
