using HotlineBot.BotFramework.Schema;
using HotlineBot.BotFramework.State;
using HotlineBot.Dialogs.Conversation;
using HotlineBot.Dialogs.Replies;
using HotlineBot.Knowledge.Search;

namespace HotlineBot.Dialogs.Tests.Clarify;

/// <summary>Did-you-mean as a dialog: answered by button, number or the question; 都不是; interruptions; state.</summary>
public sealed class ClarifyConversationTests(SeedsFixture fixture)
{
    private const string OutOfScope = "推荐一部好看的电影";

    private BotHarness NewBot(IStorage? storage = null) => new(fixture, storage: storage);

    // --- Answering the choices ----------------------------------------------------------------------

    [Fact]
    public async Task Choice_PressedAsAButton_AnswersItsEntry_AndTheChoicesAreGoneAfterwards()
    {
        var bot = NewBot();
        var prompt = await AskClarifyAsync(bot);
        var second = prompt.SuggestedActions!.Actions[1];

        var (answer, meta) = await bot.AskOneAsync(second.Value!.Value.GetString());

        Assert.Equal(ReplyKinds.Answer, meta.Kind);
        Assert.Equal(EntryOf(second.Title!), meta.EntryId);
        Assert.NotNull(meta.Confidence);
        Assert.Contains("依据", answer.Text, StringComparison.Ordinal);
        var record = bot.TurnLog.Records[^1];
        Assert.Equal("clarify-choice", record.Reason);
        Assert.Equal(ReplyKinds.Answer, record.Kind);
        Assert.Equal(meta.EntryId, record.EntryId);

        // Nothing waits now: "2" is a message of its own, not a choice.
        var (_, after) = await bot.AskOneAsync("2");
        Assert.Equal(ReplyKinds.Fallback, after.Kind);
    }

    [Theory]
    [InlineData("2")]
    [InlineData("２")]
    [InlineData("第二个")]
    [InlineData("第2个")]
    [InlineData("选2")]
    [InlineData("2。")]
    public async Task Choice_GivenByItsNumber_AnswersThatEntry(string answer)
    {
        var bot = NewBot();
        var prompt = await AskClarifyAsync(bot);

        var (_, meta) = await bot.AskOneAsync(answer);

        Assert.Equal(ReplyKinds.Answer, meta.Kind);
        Assert.Equal(EntryOf(prompt.SuggestedActions!.Actions[1].Title!), meta.EntryId);
    }

    [Fact]
    public async Task Choice_TypedAsTheQuestion_WithOtherSpacingAndPunctuation_AnswersThatEntry()
    {
        var bot = NewBot();
        var prompt = await AskClarifyAsync(bot);
        var question = prompt.SuggestedActions!.Actions[1].Title!;
        var typed = question[..2] + "， " + question[2..].TrimEnd('？', '?') + "??";

        var (_, meta) = await bot.AskOneAsync(typed);

        Assert.Equal(ReplyKinds.Answer, meta.Kind);
        Assert.Equal(EntryOf(question), meta.EntryId);
    }

    [Fact]
    public async Task NoneOfThese_Pressed_FallsBack_OfferingAPerson_AndIsRecordedAsFeedback()
    {
        var bot = NewBot();
        var prompt = await AskClarifyAsync(bot);
        var none = prompt.SuggestedActions!.Actions[^1];
        Assert.Equal(ActionTypes.MessageBack, none.Type);

        var reply = Assert.Single(await bot.SendAsync(Inbound.Press(none)));

        Assert.Equal(ReplyKinds.Fallback, reply.GetHotlineMetadata()?.Kind);
        Assert.Contains("换个说法", reply.Text, StringComparison.Ordinal);
        Assert.Contains(reply.SuggestedActions!.Actions, a => a.Title == PersonRequest.ButtonText);
        var record = bot.TurnLog.Records[^1];
        Assert.Equal("none-of-these", record.Feedback);
        Assert.Equal(ReplyKinds.Fallback, record.Kind);

        var (_, after) = await bot.AskOneAsync("1");
        Assert.Equal(ReplyKinds.Fallback, after.Kind);
        Assert.NotEqual("clarify-choice", bot.TurnLog.Records[^1].Reason);
    }

    [Theory]
    [InlineData("都不是啊")]
    [InlineData("都不对")]
    [InlineData("不是这个")]
    public async Task NoneOfThese_Typed_FallsBack(string text)
    {
        var bot = NewBot();
        await AskClarifyAsync(bot);

        var (_, meta) = await bot.AskOneAsync(text);

        Assert.Equal(ReplyKinds.Fallback, meta.Kind);
        Assert.Equal("none-of-these", bot.TurnLog.Records[^1].Feedback);
    }

    // --- A wrong answer is asked again ------------------------------------------------------------

    [Theory]
    [InlineData(OutOfScope)]
    [InlineData("9")]
    [InlineData("😭")]
    public async Task WrongAnswer_IsAskedAgain_AsClarify_WithTheSameChoices_AndAChoiceStillWorksAfter(string wrong)
    {
        var bot = NewBot();
        var prompt = await AskClarifyAsync(bot);
        var promptMeta = prompt.GetHotlineMetadata()!;

        var retry = Assert.Single(await bot.AskAsync(wrong));

        var meta = retry.GetHotlineMetadata();
        Assert.NotNull(meta);
        Assert.Equal(ReplyKinds.Clarify, meta.Kind);
        Assert.Equal(promptMeta.Confidence, meta.Confidence);
        Assert.StartsWith("没看明白", retry.Text, StringComparison.Ordinal);
        Assert.Contains("取消", retry.Text, StringComparison.Ordinal);
        Assert.Equal(prompt.SuggestedActions!.Actions.Select(a => a.Title), retry.SuggestedActions!.Actions.Select(a => a.Title));
        Assert.Equal("clarify-retry", bot.TurnLog.Records[^1].Reason);
        Assert.Equal(ReplyKinds.Clarify, bot.TurnLog.Records[^1].Kind);

        var (_, chosen) = await bot.AskOneAsync("第二个");
        Assert.Equal(ReplyKinds.Answer, chosen.Kind);
        Assert.Equal(EntryOf(prompt.SuggestedActions.Actions[1].Title!), chosen.EntryId);
    }

    [Fact]
    public async Task AfterTwoRetries_TheNextWrongAnswer_IsHandledAsANewMessage()
    {
        var bot = NewBot();
        await AskClarifyAsync(bot);

        var (_, first) = await bot.AskOneAsync(OutOfScope);
        var (_, second) = await bot.AskOneAsync(OutOfScope);
        var (third, thirdMeta) = await bot.AskOneAsync(OutOfScope);

        Assert.Equal(ReplyKinds.Clarify, first.Kind);
        Assert.Equal(ReplyKinds.Clarify, second.Kind);
        Assert.Equal(ReplyKinds.Fallback, thirdMeta.Kind);
        Assert.Contains("答不上来", third.Text, StringComparison.Ordinal);
        var (_, after) = await bot.AskOneAsync("2");
        Assert.Equal(ReplyKinds.Fallback, after.Kind);
    }

    // --- Interruptions -----------------------------------------------------------------------------

    [Fact]
    public async Task NewQuestion_WhileChoicesWait_IsAnswered_AndTheChoicesAreGone()
    {
        var bot = NewBot();
        var prompt = await AskClarifyAsync(bot);
        var offered = prompt.SuggestedActions!.Actions.Select(a => a.Title).ToHashSet();
        var (question, entryId) = AnsweredQuestionNotIn(offered);

        var (_, meta) = await bot.AskOneAsync(question);

        Assert.Equal(ReplyKinds.Answer, meta.Kind);
        Assert.Equal(entryId, meta.EntryId);
        var (_, after) = await bot.AskOneAsync("2");
        Assert.Equal(ReplyKinds.Fallback, after.Kind);
    }

    [Theory]
    [InlineData("谢谢", "smalltalk:thanks")]
    [InlineData("你好", "smalltalk:greeting")]
    [InlineData("没事了", "smalltalk:goodbye")]
    public async Task SmallTalk_WhileChoicesWait_IsAnswered_AndTheChoicesAreGone(string text, string reason)
    {
        var bot = NewBot();
        await AskClarifyAsync(bot);

        var (_, meta) = await bot.AskOneAsync(text);

        Assert.Equal(ReplyKinds.SmallTalk, meta.Kind);
        Assert.Equal(reason, bot.TurnLog.Records[^1].Reason);
        var (_, after) = await bot.AskOneAsync("2");
        Assert.Equal(ReplyKinds.Fallback, after.Kind);
    }

    [Theory]
    [InlineData("取消")]
    [InlineData("算了")]
    [InlineData("不用了")]
    [InlineData("那算了吧")]
    public async Task Cancel_WhileChoicesWait_SaysSoBriefly_AsSmallTalk_AndTheChoicesAreGone(string text)
    {
        var bot = NewBot();
        await AskClarifyAsync(bot);

        var (reply, meta) = await bot.AskOneAsync(text);

        Assert.Equal(ReplyKinds.SmallTalk, meta.Kind);
        Assert.StartsWith("好的，已取消", reply.Text, StringComparison.Ordinal);
        Assert.Equal("cancelled", bot.TurnLog.Records[^1].Reason);
        var (_, after) = await bot.AskOneAsync("2");
        Assert.Equal(ReplyKinds.Fallback, after.Kind);
    }

    [Fact]
    public async Task Cancel_WithNothingWaiting_IsJustAcknowledged()
    {
        var bot = NewBot();

        var (reply, meta) = await bot.AskOneAsync("算了");

        Assert.Equal(ReplyKinds.SmallTalk, meta.Kind);
        Assert.DoesNotContain("已取消", reply.Text, StringComparison.Ordinal);
        Assert.Equal("cancel-nothing-waiting", bot.TurnLog.Records[^1].Reason);
    }

    [Theory]
    [InlineData("转人工")]
    [InlineData("我想和人工客服聊")]
    public async Task PersonRequest_WhileChoicesWait_IsAnsweredAsToday_AndTheChoicesAreGone(string text)
    {
        var bot = NewBot();
        await AskClarifyAsync(bot);

        var (reply, meta) = await bot.AskOneAsync(text);

        Assert.Equal(ReplyKinds.Fallback, meta.Kind);
        Assert.Contains("12351", reply.Text, StringComparison.Ordinal);
        Assert.Equal("person-requested", bot.TurnLog.Records[^1].Reason);
        var (_, after) = await bot.AskOneAsync("2");
        Assert.Equal(ReplyKinds.Fallback, after.Kind);
    }

    [Fact]
    public async Task Emergency_WhileChoicesWait_ComesFirst_Alone_AndTheChoicesAreGone()
    {
        var bot = NewBot();
        await AskClarifyAsync(bot);

        var replies = await bot.AskAsync("工友从脚手架上摔下来了，一直在流血");

        var reply = Assert.Single(replies);
        Assert.Equal(ReplyKinds.Emergency, reply.GetHotlineMetadata()?.Kind);
        Assert.StartsWith("请马上拨打120", reply.Text, StringComparison.Ordinal);
        var (_, after) = await bot.AskOneAsync("2");
        Assert.Equal(ReplyKinds.Fallback, after.Kind);
    }

    // --- State -------------------------------------------------------------------------------------

    [Fact]
    public async Task Choices_ArePerConversation_ForManyConversationsAtOnce_OnOneBot()
    {
        var bot = NewBot();
        var (question, _) = ClarifyQuestion();
        var conversations = Enumerable.Range(1, 24).Select(i => "many-" + i).ToList();

        var prompts = await Task.WhenAll(conversations.Select(c => bot.AskAsync(question, c)));
        var idle = await bot.AskAsync("2", "never-asked");
        var answers = await Task.WhenAll(conversations.Select((c, i) => bot.AskAsync(i % 2 == 0 ? "1" : "第二个", c)));

        Assert.All(prompts, p => Assert.Equal(ReplyKinds.Clarify, Assert.Single(p).GetHotlineMetadata()?.Kind));
        Assert.Equal(ReplyKinds.Fallback, Assert.Single(idle).GetHotlineMetadata()?.Kind);
        var actions = Assert.Single(prompts[0]).SuggestedActions!.Actions;
        for (var i = 0; i < answers.Length; i++)
        {
            var meta = Assert.Single(answers[i]).GetHotlineMetadata();
            Assert.Equal(ReplyKinds.Answer, meta?.Kind);
            Assert.Equal(EntryOf(actions[i % 2 == 0 ? 0 : 1].Title!), meta?.EntryId);
        }
    }

    [Fact]
    public async Task Choices_LiveInTheStorage_NotInTheBot_SoANewBotOverTheSameStorageContinues()
    {
        var storage = new MemoryStorage();
        var prompt = await AskClarifyAsync(NewBot(storage));

        var (_, meta) = await NewBot(storage).AskOneAsync("2");

        Assert.Equal(ReplyKinds.Answer, meta.Kind);
        Assert.Equal(EntryOf(prompt.SuggestedActions!.Actions[1].Title!), meta.EntryId);
    }

    [Fact]
    public async Task State_IsWrittenOnlyWhenChoicesWaitOrEnd_NotForTurnsThatNeedNone()
    {
        var storage = new CountingStorage();
        var bot = NewBot(storage);

        await bot.AskAsync("加班费怎么算");
        await bot.AskAsync("你好");
        var writesWithoutDialog = storage.Writes;
        await AskClarifyAsync(bot);
        var writesAfterPrompt = storage.Writes;
        await bot.AskAsync("1");
        var writesAfterChoice = storage.Writes;
        await bot.AskAsync("加班费怎么算");

        Assert.Equal(0, writesWithoutDialog);
        Assert.Equal(1, writesAfterPrompt);
        Assert.Equal(2, writesAfterChoice);
        Assert.Equal(2, storage.Writes);
        var stored = await storage.ReadAsync([$"{Inbound.ChannelId}/conversations/conv-1"], TestContext.Current.CancellationToken);
        Assert.Equal("{}", Assert.Single(stored).Value.Value.GetRawText());
    }

    [Fact]
    public async Task ATurnThatLosesTheStateRace_StillReplies_AndTheOtherTurnsStateStands()
    {
        var storage = new RacingStorage();
        var bot = NewBot(storage);
        await AskClarifyAsync(bot);

        // Another turn of the same conversation (a double send that cancelled) saves between this turn's read and its save.
        storage.Arm();
        var replies = await bot.AskAsync("2");

        Assert.Equal(ReplyKinds.Answer, Assert.Single(replies).GetHotlineMetadata()?.Kind);
        Assert.True(storage.Raced);
        var stored = await storage.ReadAsync([$"{Inbound.ChannelId}/conversations/conv-1"], TestContext.Current.CancellationToken);
        Assert.Equal(RacingStorage.OtherState, Assert.Single(stored).Value.Value.GetRawText());
    }

    // --- Helpers -----------------------------------------------------------------------------------

    /// <summary>Asks a question whose band is clarify with at least two choices; returns the prompt.</summary>
    private async Task<Activity> AskClarifyAsync(BotHarness bot, string conversationId = "conv-1")
    {
        var (question, _) = ClarifyQuestion();
        var (reply, meta) = await bot.AskOneAsync(question, conversationId);
        Assert.Equal(ReplyKinds.Clarify, meta.Kind);
        Assert.NotNull(meta.Confidence);
        Assert.True(reply.SuggestedActions!.Actions.Count >= 3, "at least two questions and 都不是");
        return reply;
    }

    private (string Question, SearchResult Result) ClarifyQuestion()
    {
        string[] probes = ["加班", "合同", "工伤", "辞退", "社保", "工资", "请假", "补偿", "试用期", "年假"];
        foreach (var probe in probes)
        {
            var result = fixture.Search.Search(probe);
            if (result.Band == SearchBand.Clarify && result.Candidates.DistinctBy(c => c.Entry.Question).Count() >= 2 && fixture.Emergencies.Detect(probe) is null)
            {
                return (probe, result);
            }
        }

        throw new InvalidOperationException("no probe question lands in the clarify band");
    }

    /// <summary>A welcome example the knowledge base answers outright, about none of the offered questions.</summary>
    private (string Question, string EntryId) AnsweredQuestionNotIn(HashSet<string?> offered)
    {
        foreach (var question in HotlineReplies.ExampleQuestions)
        {
            var result = fixture.Search.Search(question);
            if (result.Band == SearchBand.Answer && !offered.Contains(result.Candidates[0].Entry.Question))
            {
                return (question, result.Candidates[0].Entry.Id);
            }
        }

        throw new InvalidOperationException("every example question is among the offered choices");
    }

    private string EntryOf(string question) => fixture.Seeds.Published.First(e => e.Question == question).Id;

    /// <summary>Memory storage where, once armed, another writer saves just before the next write.</summary>
    private sealed class RacingStorage : IStorage
    {
        public const string OtherState = """{"other":"turn"}""";

        private readonly MemoryStorage _inner = new();
        private int _armed;

        public bool Raced { get; private set; }

        public void Arm() => Interlocked.Exchange(ref _armed, 1);

        public Task<IDictionary<string, StoreItem>> ReadAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default) =>
            _inner.ReadAsync(keys, cancellationToken);

        public async Task WriteAsync(IDictionary<string, StoreItem> changes, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Exchange(ref _armed, 0) == 1)
            {
                Raced = true;
                using var other = System.Text.Json.JsonDocument.Parse(OtherState);
                await _inner.WriteAsync(changes.ToDictionary(c => c.Key, _ => new StoreItem(other.RootElement.Clone(), StoreItem.AnyETag)), cancellationToken);
            }

            await _inner.WriteAsync(changes, cancellationToken);
        }

        public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default) =>
            _inner.DeleteAsync(keys, cancellationToken);
    }

    /// <summary>Memory storage that counts writes.</summary>
    private sealed class CountingStorage : IStorage
    {
        private readonly MemoryStorage _inner = new();
        private int _writes;

        public int Writes => _writes;

        public Task<IDictionary<string, StoreItem>> ReadAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default) =>
            _inner.ReadAsync(keys, cancellationToken);

        public Task WriteAsync(IDictionary<string, StoreItem> changes, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _writes);
            return _inner.WriteAsync(changes, cancellationToken);
        }

        public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default) =>
            _inner.DeleteAsync(keys, cancellationToken);
    }
}
