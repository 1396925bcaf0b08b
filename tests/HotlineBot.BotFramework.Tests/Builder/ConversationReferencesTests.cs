using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Schema;
using HotlineBot.BotFramework.State;
using HotlineBot.BotFramework.Tests.Dialogs;

namespace HotlineBot.BotFramework.Tests.Builder;

public class ConversationReferencesTests
{
    [Fact]
    public async Task ContinueConversation_WritesIntoTheConversationAWorkerUsed()
    {
        var references = new ConversationReferences(new MemoryStorage());
        var adapter = (TestAdapter)new TestAdapter { ConversationId = "worker-chat" }.Use(new ConversationReferenceMiddleware(references));
        await adapter.ProcessActivityAsync(adapter.MakeMessage("老板欠薪"), (_, _) => Task.CompletedTask, TestContext.Current.CancellationToken);

        var found = await references.ContinueConversationAsync(adapter, "test", "worker-chat",
            (turn, token) => turn.SendActivityAsync("工作人员回复：已联系单位", token), TestContext.Current.CancellationToken);

        Assert.True(found);
        var reply = Assert.Single(adapter.Sent);
        Assert.Equal("工作人员回复：已联系单位", reply.Text);
        Assert.Equal("worker-chat", reply.Conversation?.Id);
        Assert.Equal("user-1", reply.Recipient?.Id);
        Assert.Equal("https://test.invalid/", reply.ServiceUrl);
    }

    [Fact]
    public async Task ContinueConversation_ReturnsFalse_ForAnUnknownConversation()
    {
        var references = new ConversationReferences(new MemoryStorage());

        var found = await references.ContinueConversationAsync(new TestAdapter(), "test", "never-seen",
            (turn, token) => turn.SendActivityAsync("不该发出", token), TestContext.Current.CancellationToken);

        Assert.False(found);
    }

    [Fact]
    public async Task Middleware_KeepsNoReference_ForExpectRepliesTurns()
    {
        var storage = new MemoryStorage();
        var adapter = (TestAdapter)new TestAdapter().Use(new ConversationReferenceMiddleware(new ConversationReferences(storage)));
        var message = adapter.MakeMessage("问题");
        message.DeliveryMode = DeliveryModes.ExpectReplies;

        await adapter.ProcessActivityAsync(message, (_, _) => Task.CompletedTask, TestContext.Current.CancellationToken);

        var stored = await storage.ReadAsync([ConversationReferences.Key("test", "conversation-1")], TestContext.Current.CancellationToken);
        Assert.Empty(stored);
    }
}
