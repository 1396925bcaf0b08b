using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Tests.Dialogs;

namespace HotlineBot.BotFramework.Tests.Builder;

public sealed class InProcessConversationLocksTests : ConversationLocksContractTests
{
    private readonly Dictionary<TimeSpan, InProcessConversationLocks> _locks = [];

    protected override IConversationLocks Instance(TimeSpan wait)
    {
        if (!_locks.TryGetValue(wait, out var locks))
        {
            locks = new InProcessConversationLocks(wait);
            _locks[wait] = locks;
        }

        return locks;
    }
}

/// <summary>The middleware around a turn: serializes a conversation's turns and lets a turn's own nested pipeline through.</summary>
public sealed class ConversationLockMiddlewareTests
{
    [Fact]
    public async Task TwoTurnsOfOneConversation_DoNotOverlap_WhileAnotherConversationRunsBeside()
    {
        var adapter = (TestAdapter)new TestAdapter().Use(new ConversationLockMiddleware(new InProcessConversationLocks()));
        var running = new Dictionary<string, int>();
        var most = new Dictionary<string, int>();
        var gate = new Lock();
        Func<ITurnContext, CancellationToken, Task> bot = async (turn, token) =>
        {
            var id = turn.Activity.Conversation!.Id!;
            lock (gate)
            {
                running[id] = running.GetValueOrDefault(id) + 1;
                most[id] = Math.Max(most.GetValueOrDefault(id), running[id]);
            }

            await Task.Delay(20, token);
            lock (gate)
            {
                running[id]--;
            }
        };

        await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
        {
            var message = adapter.MakeMessage("问题");
            message.Conversation = new() { Id = i % 2 == 0 ? "even" : "odd" };
            return adapter.ProcessActivityAsync(message, bot, TestContext.Current.CancellationToken);
        }));

        Assert.Equal(1, most["even"]);
        Assert.Equal(1, most["odd"]);
    }

    [Fact]
    public async Task ProactiveMessageFromWithinATurn_ToTheSameConversation_DoesNotWaitForItself()
    {
        var adapter = (TestAdapter)new TestAdapter().Use(new ConversationLockMiddleware(new InProcessConversationLocks(TimeSpan.FromMinutes(5))));
        var message = adapter.MakeMessage("问题");

        var sent = await adapter.ProcessActivityAsync(message, async (turn, token) =>
        {
            await turn.Adapter.ContinueConversationAsync(turn.Activity.GetConversationReference(), (inner, t) => inner.SendActivityAsync("主动消息", t), token);
            await turn.SendActivityAsync("答复", token);
        }, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(["主动消息", "答复"], sent.Select(a => a.Text));
    }
}
