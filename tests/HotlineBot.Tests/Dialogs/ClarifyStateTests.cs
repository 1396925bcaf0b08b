using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Schema;
using HotlineBot.BotFramework.State;
using HotlineBot.Dialogs.Emergency;
using HotlineBot.Dialogs.Replies;
using HotlineBot.Dialogs.TurnLogging;
using HotlineBot.Knowledge.Search;
using HotlineBot.Knowledge.SmallTalk;
using HotlineBot.Storage;
using HotlineBot.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Bot = HotlineBot.Dialogs.HotlineBot;

namespace HotlineBot.Tests.Dialogs;

/// <summary>Did-you-mean waits in the host's SQLite state: across turns, across a restart, and as the host composes the bot.</summary>
public sealed class ClarifyStateTests(KnowledgeServicesFixture fixture) : IClassFixture<KnowledgeServicesFixture>, IDisposable
{
    private readonly TemporaryDatabase<SqliteStorage> _database = TemporaryStateDatabase.Create();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task WaitingChoices_SurviveARestart_NewBotAndStateOverTheSameSqliteFile_AnswerTheSecondChoice()
    {
        var conversation = "restart-" + Guid.NewGuid().ToString("n");
        var (question, choices) = ClarifyQuestion();

        // First "process": the question gets did-you-mean, then everything is dropped but the file.
        var first = NewBot(_database.Open());
        var prompt = Assert.Single(await TurnAsync(first, question, conversation));
        Assert.Equal(ReplyKinds.Clarify, prompt.GetHotlineMetadata()?.Kind);
        Assert.Equal(choices, prompt.SuggestedActions!.Actions.SkipLast(1).Select(a => a.Title));

        // Second "process": a new storage, state and bot on the same file; the worker answers "第二个".
        var second = NewBot(_database.Open());
        var answer = Assert.Single(await TurnAsync(second, "第二个", conversation));

        var meta = answer.GetHotlineMetadata();
        Assert.Equal(ReplyKinds.Answer, meta?.Kind);
        Assert.Equal(EntryOf(choices[1]), meta?.EntryId);

        // The ended prompt was saved as ended: after another restart "2" is a message of its own.
        var third = NewBot(_database.Open());
        var after = Assert.Single(await TurnAsync(third, "2", conversation));
        Assert.Equal(ReplyKinds.Fallback, after.GetHotlineMetadata()?.Kind);
    }

    [Fact]
    public async Task TheHostsBot_KeepsTheChoicesAcrossTurns_InItsStateStore()
    {
        var bot = fixture.Services.GetRequiredService<IBot>();
        var conversation = "host-" + Guid.NewGuid().ToString("n");
        var (question, choices) = ClarifyQuestion();

        var prompt = Assert.Single(await TurnAsync(bot, question, conversation));
        var answer = Assert.Single(await TurnAsync(bot, "2", conversation));

        Assert.Equal(ReplyKinds.Clarify, prompt.GetHotlineMetadata()?.Kind);
        Assert.Equal(ReplyKinds.Answer, answer.GetHotlineMetadata()?.Kind);
        Assert.Equal(EntryOf(choices[1]), answer.GetHotlineMetadata()?.EntryId);
    }

    private Bot NewBot(IStorage storage)
    {
        var services = fixture.Services;
        return new Bot(
            services.GetRequiredService<EmergencyDetector>(),
            services.GetRequiredService<SmallTalkMatcher>(),
            services.GetRequiredService<IPolicySearch>(),
            services.GetRequiredService<HotlineReplies>(),
            new NoTurnLog(),
            new ConversationState(storage));
    }

    /// <summary>A question the seeds answer with did-you-mean over at least two questions, and those questions.</summary>
    private (string Question, List<string> Choices) ClarifyQuestion()
    {
        var search = fixture.Services.GetRequiredService<IPolicySearch>();
        var emergencies = fixture.Services.GetRequiredService<EmergencyDetector>();
        string[] probes = ["加班", "合同", "工伤", "辞退", "社保", "工资", "请假", "补偿", "试用期", "年假"];
        foreach (var probe in probes)
        {
            var result = search.Search(probe);
            var questions = result.Candidates.Select(c => c.Entry.Question).Distinct().Take(HotlineReplies.MaxChoices).ToList();
            if (result.Band == SearchBand.Clarify && questions.Count >= 2 && emergencies.Detect(probe) is null)
            {
                return (probe, questions);
            }
        }

        throw new InvalidOperationException("no probe question lands in the clarify band");
    }

    private string EntryOf(string question)
    {
        var search = fixture.Services.GetRequiredService<IPolicySearch>();
        return search.Search(question).Candidates.First(c => c.Entry.Question == question).Entry.Id;
    }

    private static async Task<IReadOnlyList<Activity>> TurnAsync(IBot bot, string text, string conversation)
    {
        var adapter = new CollectingAdapter();
        var activity = new Activity
        {
            Type = ActivityTypes.Message,
            Id = Guid.NewGuid().ToString("n"),
            ChannelId = "directline",
            ServiceUrl = "http://127.0.0.1:9/",
            Locale = "zh-CN",
            From = new ChannelAccount { Id = "worker-" + conversation, Role = RoleTypes.User },
            Recipient = new ChannelAccount { Id = "hotline-bot", Role = RoleTypes.Bot },
            Conversation = new ConversationAccount { Id = conversation },
            Text = text,
        };
        await adapter.RunAsync(activity, bot, Cancellation);
        return [.. adapter.Sent.Where(a => a.Type == ActivityTypes.Message)];
    }

    private sealed class CollectingAdapter : BotAdapter
    {
        public List<Activity> Sent { get; } = [];

        public override Task<ResourceResponse[]> SendActivitiesAsync(ITurnContext turnContext, IReadOnlyList<Activity> activities, CancellationToken cancellationToken)
        {
            Sent.AddRange(activities);
            return Task.FromResult(activities.Select((_, i) => new ResourceResponse($"sent-{i}")).ToArray());
        }

        public Task RunAsync(Activity activity, IBot bot, CancellationToken cancellationToken) =>
            RunPipelineAsync(new TurnContext(this, activity), bot.OnTurnAsync, cancellationToken);
    }

    private sealed class NoTurnLog : ITurnLog
    {
        public Task RecordAsync(TurnRecord record, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
