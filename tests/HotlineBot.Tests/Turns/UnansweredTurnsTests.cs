using HotlineBot.Dialogs.TurnLogging;
using HotlineBot.Knowledge.Unanswered;
using HotlineBot.Turns;

namespace HotlineBot.Tests.Turns;

public sealed class UnansweredTurnsTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    private readonly List<StoredTurn> _turns = [];

    private void Turn(string conversation, string question, string kind, string? reason, string? feedback = null, string? entryId = null, string user = "worker-a") =>
        _turns.Add(new StoredTurn(_turns.Count + 1, new TurnRecord(Start.AddMinutes(_turns.Count), conversation, user, question, kind)
        {
            Reason = reason,
            Feedback = feedback,
            EntryId = entryId,
            ChannelId = "webchat",
        }));

    [Fact]
    public void Collect_TakesTheSearchsFallbacks_AndNoOtherTurn()
    {
        Turn("c1", "宿舍停电了找谁", "fallback", "no-domain-term");
        Turn("c1", "食堂饭菜太难吃", "fallback", "out-of-scope:food-and-recipes");
        Turn("c1", "公积金没交可以投诉吗", "fallback", "low-confidence");
        Turn("c1", "转人工", "fallback", "person-requested");
        Turn("c1", "😭😭", "fallback", "no-words");
        Turn("c1", "你好", "smalltalk", "smalltalk:greeting");
        Turn("c1", "工友从脚手架上摔下来了", "emergency", "emergency:injury");
        Turn("c1", "好的谢谢", string.Empty, "relayed");
        Turn("c1", "加班费怎么算", "answer", "answer", entryId: "overtime-pay-rates");

        var found = UnansweredTurns.Collect(_turns);

        Assert.Equal(["宿舍停电了找谁", "食堂饭菜太难吃", "公积金没交可以投诉吗"], found.Select(f => f.Question.Text));
        Assert.All(found, f => Assert.Equal(UnansweredSource.Fallback, f.Question.Source));
        Assert.All(found, f => Assert.Equal(("webchat", "c1"), (f.ChannelId, f.ConversationId)));
        Assert.Equal([1L, 2, 3], found.Select(f => f.Question.Id));
    }

    [Fact]
    public void Collect_TakesNoneOfThese_AsTheQuestionThatBroughtTheChoices()
    {
        Turn("c1", "公司不交公积金可以投诉吗", "clarify", "low-confidence");
        Turn("c1", "第五个", "clarify", "clarify-retry");
        Turn("c2", "宿舍停电了找谁", "fallback", "no-domain-term");
        Turn("c1", "都不是", "fallback", "feedback:none-of-these", feedback: "none-of-these");
        Turn("c3", "都不是", "fallback", "feedback:none-of-these", feedback: "none-of-these");

        var found = UnansweredTurns.Collect(_turns);

        Assert.Equal(2, found.Count);
        var none = found[1];
        Assert.Equal("公司不交公积金可以投诉吗", none.Question.Text);
        Assert.Equal(UnansweredSource.NoneOfThese, none.Question.Source);
        Assert.Equal(4, none.Question.Id);
        Assert.Equal(_turns[3].Record.Timestamp, none.Question.At);
    }

    [Fact]
    public void Collect_TakesNotSolved_AsTheQuestionAnswered_OrForAChoiceTheQuestionBeforeIt()
    {
        Turn("c1", "公积金断缴了怎么投诉", "answer", "answer", entryId: "social-insurance-arrears");
        Turn("c1", "加班费怎么算", "answer", "answer", entryId: "overtime-pay-rates");
        Turn("c1", "没解决", "handoff", "feedback:not-solved", feedback: "not-solved", entryId: "social-insurance-arrears");
        Turn("c2", "单位不缴公积金怎么办", "clarify", "low-confidence");
        Turn("c2", "1", "answer", "clarify-choice", entryId: "social-insurance-arrears");
        Turn("c2", "没解决", "fallback", "feedback:not-solved", feedback: "not-solved");

        var found = UnansweredTurns.Collect(_turns);

        Assert.Equal(["公积金断缴了怎么投诉", "单位不缴公积金怎么办"], found.Select(f => f.Question.Text));
        Assert.All(found, f => Assert.Equal(UnansweredSource.NotSolved, f.Question.Source));
    }

    [Fact]
    public void Collect_OptsInTheWorker_ForTheConversationsLastUnansweredQuestionBeforeTheRequest()
    {
        Turn("c1", "有答案时告诉我", "smalltalk", "answer-requested", user: "worker-a");
        Turn("c1", "宿舍停电了找谁", "fallback", "no-domain-term", user: "worker-a");
        Turn("c1", "公积金没交可以投诉吗", "fallback", "low-confidence", user: "worker-a");
        Turn("c2", "宿舍一直停电怎么办", "fallback", "no-domain-term", user: "worker-b");
        Turn("c1", "有答案时告诉我", "smalltalk", "answer-requested", user: "worker-a");

        var found = UnansweredTurns.Collect(_turns);

        Assert.Equal([null, "worker-a", null], found.Select(f => f.Question.OptedInBy));
        Assert.Equal("公积金没交可以投诉吗", found[1].Question.Text);
    }
}
