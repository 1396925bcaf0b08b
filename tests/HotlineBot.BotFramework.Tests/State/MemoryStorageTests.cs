using HotlineBot.BotFramework.State;

namespace HotlineBot.BotFramework.Tests.State;

public sealed class MemoryStorageTests : StorageContractTests
{
    protected override IStorage CreateStorage() => new MemoryStorage();
}
