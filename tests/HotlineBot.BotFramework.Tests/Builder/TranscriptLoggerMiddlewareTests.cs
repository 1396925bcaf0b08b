using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Schema;
using HotlineBot.BotFramework.Tests.Dialogs;

namespace HotlineBot.BotFramework.Tests.Builder;

public class TranscriptLoggerMiddlewareTests
{
    private sealed class ListTranscript : ITranscriptLogger
    {
        public List<Activity> Logged { get; } = [];

        public Task LogActivityAsync(Activity activity, CancellationToken cancellationToken)
        {
            Logged.Add(activity);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Turn_LogsTheIncomingActivityAndEveryReply_ButNotTyping()
    {
        var transcript = new ListTranscript();
        var adapter = (TestAdapter)new TestAdapter().Use(new TranscriptLoggerMiddleware(transcript));

        await adapter.ProcessActivityAsync(adapter.MakeMessage("加班费怎么算"), async (turn, token) =>
        {
            await turn.SendActivityAsync(Activity.CreateTypingActivity(), token);
            await turn.SendActivityAsync("按150%支付", token);
        }, TestContext.Current.CancellationToken);

        Assert.Equal(["加班费怎么算", "按150%支付"], transcript.Logged.Select(a => a.Text));
        Assert.Equal(RoleTypes.Bot, transcript.Logged[1].From?.Role);
    }
}
