using System.Text.Json;
using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Schema;
using HotlineBot.Dialogs.Conversation;
using HotlineBot.Dialogs.Emergency;
using HotlineBot.Dialogs.Replies;
using HotlineBot.Dialogs.TurnLogging;
using HotlineBot.Knowledge.Evaluation;
using HotlineBot.Knowledge.Search;

namespace HotlineBot.Dialogs.Tests;

public sealed class HotlineBotTests(SeedsFixture fixture)
{
    private BotHarness NewBot(IUrgentCaseOpener? urgentCases = null, TimeSpan? urgentCaseTimeout = null) =>
        new(fixture, urgentCases, urgentCaseTimeout: urgentCaseTimeout);

    // --- Welcome ---------------------------------------------------------------------------------

    [Fact]
    public async Task ConversationUpdate_WelcomesTheWorker_WithWhoWeAreAndExampleQuestions()
    {
        var bot = NewBot();

        var replies = await bot.SendAsync(Inbound.MembersAdded(Inbound.BotId, Inbound.UserId));

        var welcome = Assert.Single(replies);
        Assert.Equal(ActivityTypes.Message, welcome.Type);
        Assert.Equal(ReplyKinds.SmallTalk, welcome.GetHotlineMetadata()?.Kind);
        Assert.Contains("工会职工服务热线的在线助手", welcome.Text, StringComparison.Ordinal);
        Assert.Contains("24小时", welcome.Text, StringComparison.Ordinal);
        Assert.Contains("12351", welcome.Text, StringComparison.Ordinal);
        Assert.Equal(Inbound.UserId, welcome.Recipient?.Id);
        Assert.NotNull(welcome.SuggestedActions);
        Assert.InRange(welcome.SuggestedActions.Actions.Count, 3, 4);
        Assert.All(welcome.SuggestedActions.Actions, a => Assert.Equal(ActionTypes.ImBack, a.Type));
    }

    [Fact]
    public async Task ConversationUpdate_WelcomesOncePerAddedUser_AndNeverTheBot()
    {
        var bot = NewBot();

        var botOnly = await bot.SendAsync(Inbound.MembersAdded(Inbound.BotId));
        var twoUsers = await bot.SendAsync(Inbound.MembersAdded(Inbound.BotId, "worker-a", "worker-b"));

        Assert.Empty(botOnly);
        Assert.Equal(["worker-a", "worker-b"], twoUsers.Select(a => a.Recipient?.Id));
        Assert.Equal(2, bot.TurnLog.Records.Count(r => r.Reason == "welcome"));
    }

    [Fact]
    public async Task WelcomeExamples_AreEachAnsweredFromTheKnowledgeBase()
    {
        var bot = NewBot();
        var welcome = Assert.Single(await bot.SendAsync(Inbound.MembersAdded(Inbound.BotId, Inbound.UserId)));

        foreach (var action in welcome.SuggestedActions!.Actions)
        {
            var (_, meta) = await bot.AskOneAsync(action.Value!.Value.GetString());

            Assert.True(meta.Kind == ReplyKinds.Answer, $"example '{action.Title}' got {meta.Kind}");
        }
    }

    // --- Emergency first --------------------------------------------------------------------------

    public static TheoryData<string, string> DevEmergencyCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in EvalCaseReader.Read(Path.Combine(SeedsFixture.Directory, "regression.jsonl")).Where(c => c.Kind == "emergency"))
        {
            data.Add(c.Question, string.Join('|', c.KeywordGroups.Select(g => string.Join(',', g))));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DevEmergencyCases))]
    public async Task Message_GetsEmergencyReply_WithItsNumberFirst_ForEveryDevEmergencyCase(string question, string expect)
    {
        var (reply, meta) = await NewBot().AskOneAsync(question);

        Assert.Equal(ReplyKinds.Emergency, meta.Kind);
        Assert.StartsWith("请马上拨打", reply.Text, StringComparison.Ordinal);
        foreach (var group in expect.Split('|'))
        {
            Assert.Contains(group.Split(','), word => reply.Text!.Contains(word, StringComparison.Ordinal));
        }

        var firstLine = reply.Text!.Split('\n')[0];
        Assert.Contains(reply.SuggestedActions!.Actions[0].Value!.Value.GetString()!["tel:".Length..], firstLine, StringComparison.Ordinal);
        Assert.Equal(3, reply.Text.Split('\n').Length);
    }

    [Theory]
    [InlineData("同事的手刚被机器卷进去了，血止不住，这算工伤吗？")]
    [InlineData("你好，厂里有人触电倒地不起")]
    [InlineData("没解决，宿舍着火了")]
    [InlineData("转人工，工头拿着刀堵在门口")]
    public async Task Emergency_ComesBeforePolicySmallTalkButtonsAndPersonRequests(string question)
    {
        var replies = await NewBot().AskAsync(question);

        var reply = Assert.Single(replies);
        Assert.Equal(ReplyKinds.Emergency, reply.GetHotlineMetadata()?.Kind);
    }

    [Theory]
    [InlineData("工伤认定要多久")]
    [InlineData("上次被机器压伤了能算工伤吗")]
    [InlineData("手指被压断了三个月了公司不赔")]
    [InlineData("消防培训算加班吗")]
    [InlineData("高温中暑了算工伤吗")]
    public async Task PolicyQuestions_AboutPastInjuriesAndFireRules_GetNoEmergencyReply(string question)
    {
        var (_, meta) = await NewBot().AskOneAsync(question);

        Assert.NotEqual(ReplyKinds.Emergency, meta.Kind);
    }

    [Fact]
    public async Task Emergency_OpensAnUrgentCase_AndCarriesItsIdInTheMetadata()
    {
        var opener = new FakeOpener(_ => Task.FromResult<string?>("C-2001"));
        var bot = NewBot(opener);

        var (reply, meta) = await bot.AskOneAsync("同事的手被机器卷进去了,血止不住");

        Assert.Equal(ReplyKinds.Emergency, meta.Kind);
        Assert.Equal("C-2001", meta.CaseId);
        Assert.Contains("C-2001", reply.Text, StringComparison.Ordinal);
        Assert.Equal(["injury"], opener.Categories);
        var record = Assert.Single(bot.TurnLog.Records);
        Assert.Equal("C-2001", record.CaseId);
        Assert.Equal("emergency:injury", record.Reason);
    }

    [Fact]
    public async Task Emergency_StillGivesTheNumbers_WhenOpeningTheCaseFails()
    {
        var bot = NewBot(new FakeOpener(_ => throw new InvalidOperationException("store down")));

        var (reply, meta) = await bot.AskOneAsync("仓库起火冒烟了,里面还有人");

        Assert.Equal(ReplyKinds.Emergency, meta.Kind);
        Assert.Null(meta.CaseId);
        Assert.StartsWith("请马上拨打119", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Emergency_DoesNotWaitForASlowCaseStore_BeyondTheTimeout()
    {
        // An opener that ignores its cancellation token and never finishes.
        var never = new TaskCompletionSource<string?>();
        var bot = NewBot(new FakeOpener(_ => never.Task), TimeSpan.FromMilliseconds(100));

        var turn = bot.AskOneAsync("我不想活了");
        var finished = await Task.WhenAny(turn, Task.Delay(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));

        Assert.Same(turn, finished);
        var (reply, meta) = await turn;
        Assert.Equal(ReplyKinds.Emergency, meta.Kind);
        Assert.Null(meta.CaseId);
        Assert.StartsWith("请马上拨打12356", reply.Text, StringComparison.Ordinal);
    }

    // --- Answer, feedback ------------------------------------------------------------------------------

    [Fact]
    public async Task Answer_CarriesEntryAndConfidence_SourceLine_AndFeedbackButtonsNamingTheEntry()
    {
        var (reply, meta) = await NewBot().AskOneAsync("周末加班，加班费怎么算？");

        Assert.Equal(ReplyKinds.Answer, meta.Kind);
        Assert.False(string.IsNullOrEmpty(meta.EntryId));
        Assert.NotNull(meta.Confidence);
        Assert.InRange(meta.Confidence.Value, 0.0001, 1.0);
        Assert.Equal("markdown", reply.TextFormat);
        Assert.Contains("依据：《", reply.Text, StringComparison.Ordinal);
        var actions = reply.SuggestedActions!.Actions;
        Assert.Equal([Feedback.HelpfulText, Feedback.NotSolvedText], actions.Select(a => a.Title));
        Assert.All(actions, a =>
        {
            Assert.Equal(ActionTypes.MessageBack, a.Type);
            Assert.Equal(a.Title, a.Text);
            Assert.Equal(meta.EntryId, a.Value!.Value.GetProperty("entryId").GetString());
        });
    }

    [Fact]
    public async Task Helpful_IsThankedAsSmallTalk_AndRecordedAgainstTheEntryItRefersTo()
    {
        var bot = NewBot();
        var (answer, meta) = await bot.AskOneAsync("老板拖欠工资怎么办？");
        var helpful = answer.SuggestedActions!.Actions[0];

        var replies = await bot.SendAsync(Press(helpful));

        var reply = Assert.Single(replies);
        Assert.Equal(ReplyKinds.SmallTalk, reply.GetHotlineMetadata()?.Kind);
        var record = bot.TurnLog.Records[^1];
        Assert.Equal("helpful", record.Feedback);
        Assert.Equal(meta.EntryId, record.EntryId);
        Assert.Equal(ReplyKinds.SmallTalk, record.Kind);
    }

    [Fact]
    public async Task NotSolved_FallsBack_OfferingAPersonAnd12351_AndIsRecordedAgainstTheEntry()
    {
        var bot = NewBot();
        var (answer, meta) = await bot.AskOneAsync("老板拖欠工资怎么办？");

        var replies = await bot.SendAsync(Press(answer.SuggestedActions!.Actions[1]));

        var reply = Assert.Single(replies);
        Assert.Equal(ReplyKinds.Fallback, reply.GetHotlineMetadata()?.Kind);
        Assert.Contains("12351", reply.Text, StringComparison.Ordinal);
        Assert.Contains(reply.SuggestedActions!.Actions, a => a.Title == PersonRequest.ButtonText);
        var record = bot.TurnLog.Records[^1];
        Assert.Equal("not-solved", record.Feedback);
        Assert.Equal(meta.EntryId, record.EntryId);
    }

    [Fact]
    public async Task NotSolved_Typed_WithoutAButtonValue_StillFallsBack_WithNoEntry()
    {
        var bot = NewBot();

        var (_, meta) = await bot.AskOneAsync("没解决");

        Assert.Equal(ReplyKinds.Fallback, meta.Kind);
        Assert.Null(bot.TurnLog.Records[^1].EntryId);
        Assert.Equal("not-solved", bot.TurnLog.Records[^1].Feedback);
    }

    [Fact]
    public async Task EveryPublishedEntry_IsAnswered_WhenItsQuestionIsSent_EvenWithNoChoicesWaiting()
    {
        var bot = NewBot();
        var wrong = new List<string>();
        foreach (var entry in fixture.Seeds.Published)
        {
            var (_, meta) = await bot.AskOneAsync(entry.Question);
            if (meta.Kind != ReplyKinds.Answer || meta.EntryId != entry.Id)
            {
                wrong.Add($"{entry.Id}: {entry.Question} → {meta.Kind} {meta.EntryId}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    // --- Clarify ---------------------------------------------------------------------------------------

    [Fact]
    public async Task Clarify_OffersAtMostThreeQuestions_PlusNoneOfThese_AndEachChoiceAnswersItsEntry()
    {
        var bot = NewBot();
        var question = FindClarifyQuestion();

        var (reply, meta) = await bot.AskOneAsync(question);

        Assert.Equal(ReplyKinds.Clarify, meta.Kind);
        Assert.Null(meta.EntryId);
        Assert.StartsWith("你想问的是", reply.Text, StringComparison.Ordinal);
        var actions = reply.SuggestedActions!.Actions;
        Assert.InRange(actions.Count, 2, 4);
        Assert.Equal(Feedback.NoneOfTheseText, actions[^1].Title);
        var questions = fixture.Seeds.Published.ToDictionary(e => e.Question, e => e.Id);
        var conversation = 0;
        foreach (var choice in actions.SkipLast(1))
        {
            Assert.Equal(ActionTypes.ImBack, choice.Type);
            var text = choice.Value!.Value.GetString()!;
            Assert.True(questions.TryGetValue(text, out var entryId), $"choice '{text}' is not an entry's question");

            // Each choice in a conversation of its own, pressed while the choices wait.
            var id = "choice-" + ++conversation;
            await bot.AskOneAsync(question, id);
            var (_, chosen) = await bot.AskOneAsync(text, id);

            Assert.Equal(ReplyKinds.Answer, chosen.Kind);
            Assert.Equal(entryId, chosen.EntryId);
        }

        var (_, none) = await bot.AskOneAsync(actions[^1].Text);
        Assert.Equal(ReplyKinds.Fallback, none.Kind);
    }

    // --- Fallback and person requests ------------------------------------------------------------------

    [Theory]
    [InlineData("推荐一部好看的电影")]
    [InlineData("信用卡逾期了会怎么样")]
    [InlineData("附近有什么好吃的")]
    [InlineData("电动车在小区被偷了")]
    public async Task OutOfScope_FallsBack_SayingSoPlainly_AndOffersAPersonAnd12351(string question)
    {
        var (reply, meta) = await NewBot().AskOneAsync(question);

        Assert.Equal(ReplyKinds.Fallback, meta.Kind);
        Assert.Contains("答不上来", reply.Text, StringComparison.Ordinal);
        Assert.Contains("换个说法", reply.Text, StringComparison.Ordinal);
        Assert.Contains("12351", reply.Text, StringComparison.Ordinal);
        var actions = reply.SuggestedActions!.Actions;
        Assert.Contains(actions, a => a.Type == ActionTypes.ImBack && a.Title == PersonRequest.ButtonText);
        Assert.Contains(actions, a => a.Type == ActionTypes.Call && a.Value!.Value.GetString() == "tel:12351");
    }

    [Theory]
    [InlineData("转人工")]
    [InlineData("找人工")]
    [InlineData("我想和人工客服聊")]
    [InlineData("请安排人联系我")]
    [InlineData("有没有工作人员在线")]
    [InlineData("不想跟机器说,找个人工")]
    public async Task AskingForAPerson_PointsTo12351_ForNow(string question)
    {
        var bot = NewBot();

        var (reply, meta) = await bot.AskOneAsync(question);

        Assert.Equal(ReplyKinds.Fallback, meta.Kind);
        Assert.Contains("12351", reply.Text, StringComparison.Ordinal);
        Assert.Equal("person-requested", bot.TurnLog.Records[^1].Reason);
    }

    [Theory]
    [InlineData("人工客服几点上班", "chat-service-hours")]
    [InlineData("转人工后多久回复我", "chat-case-follow-up")]
    public async Task QuestionsAboutTheService_AreAnswered_NotTakenAsRequestsForAPerson(string question, string entryId)
    {
        var (reply, meta) = await NewBot().AskOneAsync(question);

        Assert.Equal(ReplyKinds.Answer, meta.Kind);
        Assert.Equal(entryId, meta.EntryId);
        Assert.DoesNotContain("{{", reply.Text, StringComparison.Ordinal);
    }

    // --- Small talk and prompts ------------------------------------------------------------------------

    [Theory]
    [InlineData("你好")]
    [InlineData("谢谢")]
    [InlineData("你是谁")]
    public async Task SmallTalk_IsAnsweredAsSmallTalk(string text)
    {
        var (reply, meta) = await NewBot().AskOneAsync(text);

        Assert.Equal(ReplyKinds.SmallTalk, meta.Kind);
        Assert.False(string.IsNullOrWhiteSpace(reply.Text));
    }

    [Theory]
    [InlineData("问政策")]
    [InlineData("问问题")]
    [InlineData("咨询政策")]
    [InlineData("我要咨询")]
    public async Task AskPolicyMenuText_InvitesTheQuestion_WithExamples(string text)
    {
        var bot = NewBot();

        var (reply, meta) = await bot.AskOneAsync(text);

        Assert.Equal(ReplyKinds.SmallTalk, meta.Kind);
        Assert.StartsWith("请直接打字说说你遇到的问题", reply.Text, StringComparison.Ordinal);
        Assert.Contains("· 加班费怎么算", reply.Text, StringComparison.Ordinal);
        Assert.Contains("110/120/119", reply.Text, StringComparison.Ordinal);
        Assert.Equal("smalltalk:ask-policy", bot.TurnLog.Records[^1].Reason);
    }

    [Fact]
    public async Task AttachmentOnly_AsksForText()
    {
        var bot = NewBot();
        var picture = Inbound.Message(null);
        picture.Attachments = [new Attachment { ContentType = "image/png", ContentUrl = "http://127.0.0.1:9/a.png" }];

        var reply = Assert.Single(await bot.SendAsync(picture));

        Assert.Equal(ReplyKinds.Prompt, reply.GetHotlineMetadata()?.Kind);
        Assert.Contains("文字", reply.Text, StringComparison.Ordinal);
        Assert.Equal("attachments-only", bot.TurnLog.Records[^1].Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task EmptyText_AsksForText(string text)
    {
        var (_, meta) = await NewBot().AskOneAsync(text);

        Assert.Equal(ReplyKinds.Prompt, meta.Kind);
    }

    [Theory]
    [InlineData("！！？？")]
    [InlineData("😭😭")]
    public async Task SymbolOnlyText_FallsBack_OfferingAPerson(string text)
    {
        var (reply, meta) = await NewBot().AskOneAsync(text);

        Assert.Equal(ReplyKinds.Fallback, meta.Kind);
        Assert.Contains(reply.SuggestedActions!.Actions, a => a.Title == PersonRequest.ButtonText);
        Assert.Contains("12351", reply.Text, StringComparison.Ordinal);
    }

    // --- Metadata, records, masking --------------------------------------------------------------------

    [Fact]
    public async Task EveryMessage_CarriesHotlineMetadata_InTheJsonAClientReads()
    {
        var bot = NewBot();
        var sent = new List<Activity>();
        sent.AddRange(await bot.SendAsync(Inbound.MembersAdded(Inbound.BotId, Inbound.UserId)));
        foreach (var text in new[] { "你好", "加班费怎么算", FindClarifyQuestion(), "推荐一部好看的电影", "厂里有人触电倒地不起", "转人工", "没解决", "有帮助", "", "谢谢" })
        {
            sent.AddRange(await bot.AskAsync(text));
        }

        Assert.Equal(11, sent.Count);
        foreach (var activity in sent)
        {
            using var json = JsonDocument.Parse(JsonSerializer.Serialize(activity, ProtocolJson.Options));
            var kind = json.RootElement.GetProperty("channelData").GetProperty("hotline").GetProperty("kind").GetString()!;
            Assert.Contains(kind, ReplyKinds.All);
        }

        // The out-of-scope question comes while did-you-mean waits: not a choice, not answered, so the choices are asked again.
        Assert.Equal(
            [ReplyKinds.SmallTalk, ReplyKinds.SmallTalk, ReplyKinds.Answer, ReplyKinds.Clarify, ReplyKinds.Clarify, ReplyKinds.Emergency,
             ReplyKinds.Fallback, ReplyKinds.Fallback, ReplyKinds.SmallTalk, ReplyKinds.Prompt, ReplyKinds.SmallTalk],
            sent.Select(a => a.GetHotlineMetadata()!.Kind));
    }

    [Fact]
    public async Task EveryTurn_IsRecorded_WithKindEntryConfidenceAndBandReason()
    {
        var bot = NewBot();

        await bot.AskAsync("加班费怎么算");
        await bot.AskAsync("推荐一部好看的电影");
        await bot.AskAsync("你好");

        var records = bot.TurnLog.Records;
        Assert.Equal(3, records.Count);
        Assert.Equal(ReplyKinds.Answer, records[0].Kind);
        Assert.NotNull(records[0].EntryId);
        Assert.NotNull(records[0].Confidence);
        Assert.Equal("answer", records[0].Reason);
        Assert.Equal(ReplyKinds.Fallback, records[1].Kind);
        Assert.StartsWith("out-of-scope:", records[1].Reason, StringComparison.Ordinal);
        Assert.Equal("smalltalk:greeting", records[2].Reason);
        Assert.All(records, r =>
        {
            Assert.Equal("conv-1", r.ConversationId);
            Assert.Equal(Inbound.ChannelId, r.ChannelId);
        });
    }

    [Fact]
    public async Task TurnRecords_MaskPhoneAndIdNumbers_AndHashTheUser()
    {
        var bot = NewBot();

        await bot.AskAsync("我电话13812348000，身份证110101199003071234，老板欠我三个月工资");

        var record = Assert.Single(bot.TurnLog.Records);
        Assert.Contains("138****8000", record.Question, StringComparison.Ordinal);
        Assert.Contains("110101********1234", record.Question, StringComparison.Ordinal);
        Assert.DoesNotContain("13812348000", record.Question, StringComparison.Ordinal);
        Assert.DoesNotContain("19900307", record.Question, StringComparison.Ordinal);
        Assert.DoesNotContain(Inbound.UserId, record.UserHash, StringComparison.Ordinal);
        Assert.Equal(PersonalDataMasker.HashUserId(Inbound.ChannelId, Inbound.UserId), record.UserHash);
    }

    [Fact]
    public async Task AFailingTurnLog_DoesNotCostTheWorkerTheReply()
    {
        var bot = new BotHarness(fixture, turnLog: new ThrowingTurnLog());

        var (_, meta) = await bot.AskOneAsync("加班费怎么算");

        Assert.Equal(ReplyKinds.Answer, meta.Kind);
    }

    // --- The whole pipeline against the admins' regression set ----------------------------------------

    [Fact]
    public async Task Evaluator_PassesTheRegressionSet_ThroughTheWholeBot()
    {
        var cases = EvalCaseReader.Read(Path.Combine(SeedsFixture.Directory, "regression.jsonl"));

        var report = await Evaluator.RunAsync(cases, new BotRunner(NewBot()), TestContext.Current.CancellationToken);

        Assert.True(report.Failures.Count == 0, report.ScoreLine + "\n" + string.Join("\n", report.Failures));
        Assert.Equal(cases.Count(c => c.Kind is "answer" or "fallback" or "emergency"), report.Judged);
    }

    [Fact]
    public async Task TheWholeBot_LosesNoCheckPhrasing_ThatTheSearchAloneGetsRight()
    {
        var cases = EvalCaseReader.Read(Path.Combine(SeedsFixture.Directory, "check-phrasings.jsonl"));
        var token = TestContext.Current.CancellationToken;

        var searchOnly = await Evaluator.RunAsync(cases, new SearchEvalRunner(fixture.Search), token);
        var bot = await Evaluator.RunAsync(cases, new BotRunner(NewBot()), token);

        var searchFailures = searchOnly.Failures.Select(f => f.Case.Id).ToHashSet();
        var lost = bot.Failures.Where(f => !searchFailures.Contains(f.Case.Id)).ToList();
        Assert.True(lost.Count == 0, $"bot {bot.ScoreLine} vs search {searchOnly.ScoreLine}; lost:\n" + string.Join("\n", lost));
    }

    /// <summary>A question whose search band is Clarify with at least two choices, found in the seed phrasings.</summary>
    private string FindClarifyQuestion()
    {
        string[] probes = ["加班", "合同", "工伤", "辞退", "社保", "工资", "请假", "补偿", "试用期", "年假"];
        foreach (var probe in probes)
        {
            var result = fixture.Search.Search(probe);
            if (result.Band == SearchBand.Clarify && result.Candidates.Count >= 2 && fixture.Emergencies.Detect(probe) is null)
            {
                return probe;
            }
        }

        throw new InvalidOperationException("no probe question lands in the clarify band");
    }

    private static Activity Press(CardAction action)
    {
        var activity = Inbound.Message(action.Text ?? action.Value?.GetString());
        if (action.Type == ActionTypes.MessageBack)
        {
            activity.Value = action.Value;
        }

        return activity;
    }

    private sealed class FakeOpener(Func<string, Task<string?>> open) : IUrgentCaseOpener
    {
        public List<string> Categories { get; } = [];

        public Task<string?> OpenUrgentAsync(ITurnContext turnContext, string category, CancellationToken cancellationToken)
        {
            Categories.Add(category);
            return open(category);
        }
    }

    private sealed class ThrowingTurnLog : ITurnLog
    {
        public Task RecordAsync(TurnRecord record, CancellationToken cancellationToken) => throw new IOException("disk full");
    }

    /// <summary>The full pipeline as an eval runner: each case a fresh conversation, judged on the replies' metadata.</summary>
    private sealed class BotRunner(BotHarness bot) : IEvalRunner
    {
        private static readonly HashSet<string> Kinds = ["answer", "fallback", "emergency"];

        public IReadOnlySet<string> JudgedKinds => Kinds;

        public async Task<EvalOutcome> RunAsync(EvalCase evalCase, CancellationToken cancellationToken)
        {
            // Judged as score.py judges: message activities only (handoff.initiate is an event).
            var replies = (await bot.AskAsync(evalCase.Question, "eval-" + evalCase.Id)).Where(a => a.Type == ActivityTypes.Message).ToList();
            var metas = replies.Select(r => r.GetHotlineMetadata()).ToList();
            return new EvalOutcome(
                [.. metas.Select(m => m?.Kind ?? string.Empty)],
                string.Join("\n", replies.Select(r => r.Text)),
                metas.FirstOrDefault(m => m?.EntryId is not null)?.EntryId,
                metas.FirstOrDefault(m => m?.Confidence is not null)?.Confidence);
        }
    }
}
