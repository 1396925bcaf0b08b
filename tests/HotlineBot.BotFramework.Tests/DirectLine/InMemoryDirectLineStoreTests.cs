using HotlineBot.BotFramework.DirectLine;
using Microsoft.Extensions.Options;

namespace HotlineBot.BotFramework.Tests.DirectLine;

/// <summary>The Direct Line store contract in this process's memory, and its sweeping of idle queues.</summary>
public sealed class InMemoryDirectLineStoreTests : DirectLineStoreContractTests
{
    protected override IDirectLineStore CreateStore(DirectLineOptions options, TimeProvider time) =>
        new InMemoryDirectLineStore(Options.Create(options), time);

    [Fact]
    public async Task IdleConversations_AreSwept_EvenIfNobodyAsksForThemAgain()
    {
        var store = (InMemoryDirectLineStore)await OpenStoreAsync();
        await store.OpenAsync("conv-2", Cancellation);

        Clock.Advance(TimeSpan.FromHours(2));
        await store.OpenAsync("conv-3", Cancellation);

        Assert.Equal(1, store.Count);
    }
}
