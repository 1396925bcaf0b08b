using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Schema;
using HotlineBot.BotFramework.Tests.Dialogs;

namespace HotlineBot.BotFramework.Tests.Builder;

public class ShowTypingMiddlewareTests
{
    private static TestAdapter Adapter(int delayMilliseconds = 50) =>
        (TestAdapter)new TestAdapter().Use(new ShowTypingMiddleware(TimeSpan.FromMilliseconds(delayMilliseconds), TimeSpan.FromMilliseconds(100)));

    private static Func<ITurnContext, CancellationToken, Task> Bot(TimeSpan work) => async (turn, token) =>
    {
        await Task.Delay(work, token);
        await turn.SendActivityAsync("答复", token);
    };

    [Fact]
    public async Task SlowTurn_SendsTypingBeforeTheReply()
    {
        var adapter = Adapter();

        var sent = await adapter.ProcessActivityAsync(adapter.MakeMessage("问题"), Bot(TimeSpan.FromMilliseconds(400)), TestContext.Current.CancellationToken);

        Assert.Equal(ActivityTypes.Typing, sent[0].Type);
        Assert.Equal(ActivityTypes.Message, sent[^1].Type);
        Assert.True(sent.Count(a => a.Type == ActivityTypes.Typing) >= 2, "typing should repeat while the turn runs");
    }

    [Fact]
    public async Task FastTurn_SendsNoTyping()
    {
        // A turn that ends well before the delay (a busy test machine must not make it look slow).
        var adapter = Adapter(delayMilliseconds: 10_000);

        var sent = await adapter.ProcessActivityAsync(adapter.MakeMessage("问题"), Bot(TimeSpan.Zero), TestContext.Current.CancellationToken);

        Assert.Equal([ActivityTypes.Message], sent.Select(a => a.Type));
    }

    [Fact]
    public async Task ExpectRepliesTurn_SendsNoTyping_HoweverSlow()
    {
        var adapter = Adapter();
        var message = adapter.MakeMessage("问题");
        message.DeliveryMode = DeliveryModes.ExpectReplies;

        var sent = await adapter.ProcessActivityAsync(message, Bot(TimeSpan.FromMilliseconds(300)), TestContext.Current.CancellationToken);

        Assert.DoesNotContain(sent, a => a.Type == ActivityTypes.Typing);
    }
}
