using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.State;
using HotlineBot.BotFramework.Tests.Dialogs;

namespace HotlineBot.BotFramework.Tests.State;

public sealed class BotStateTests
{
    private const string ConversationKey = "test/conversations/conversation-1";
    private const string UserKey = "test/users/user-1";

    private readonly CountingStorage _storage = new(new MemoryStorage());
    private readonly TestAdapter _adapter = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public sealed class Profile
    {
        public string? Name { get; set; }

        public List<string> Topics { get; set; } = [];
    }

    [Fact]
    public async Task ConversationAndUserState_AreStoredUnderTheirKeys()
    {
        var conversation = new ConversationState(_storage);
        var user = new UserState(_storage);
        var turn = NewTurn();

        await conversation.CreateProperty<string>("topic").SetAsync(turn, "欠薪", Ct);
        await user.CreateProperty<string>("name").SetAsync(turn, "李女士", Ct);
        await conversation.SaveChangesAsync(turn, false, Ct);
        await user.SaveChangesAsync(turn, false, Ct);

        var stored = await _storage.ReadAsync([ConversationKey, UserKey], Ct);
        Assert.Equal("欠薪", stored[ConversationKey].Value.GetProperty("topic").GetString());
        Assert.Equal("李女士", stored[UserKey].Value.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Property_KeepsChangesToItsValue_AcrossTurnsAndStateInstances()
    {
        var state = new ConversationState(_storage);
        var first = NewTurn();
        var profile = await state.CreateProperty<Profile>("profile").GetAsync(first, () => new Profile(), Ct);
        profile!.Name = "张师傅";
        profile.Topics.Add("工伤");
        await state.SaveChangesAsync(first, false, Ct);

        var restarted = new ConversationState(_storage);
        var again = await restarted.CreateProperty<Profile>("profile").GetAsync(NewTurn(), cancellationToken: Ct);

        Assert.Equal("张师傅", again!.Name);
        Assert.Equal(["工伤"], again.Topics);
    }

    [Fact]
    public async Task SaveChanges_WritesNothing_WhenNothingChanged()
    {
        var state = new ConversationState(_storage);
        var setup = NewTurn();
        await state.CreateProperty<int>("count").SetAsync(setup, 1, Ct);
        await state.SaveChangesAsync(setup, false, Ct);
        var writes = _storage.Writes;

        var turn = NewTurn();
        Assert.Equal(1, await state.CreateProperty<int>("count").GetAsync(turn, cancellationToken: Ct));
        await state.SaveChangesAsync(turn, false, Ct);
        Assert.Equal(writes, _storage.Writes);

        await state.SaveChangesAsync(turn, true, Ct);
        Assert.Equal(writes + 1, _storage.Writes);
    }

    [Fact]
    public async Task GetAsync_WithoutFactory_ReturnsDefault_AndWritesNothing()
    {
        var state = new ConversationState(_storage);
        var turn = NewTurn();

        Assert.Null(await state.CreateProperty<Profile>("profile").GetAsync(turn, cancellationToken: Ct));
        Assert.Equal(0, await state.CreateProperty<int>("count").GetAsync(turn, cancellationToken: Ct));
        await state.SaveChangesAsync(turn, false, Ct);

        Assert.Equal(0, _storage.Writes);
    }

    [Fact]
    public async Task SaveChanges_RefusesToOverwrite_WhenAnotherTurnSavedFirst()
    {
        var state = new ConversationState(_storage);
        var accessor = state.CreateProperty<int>("count");
        var setup = NewTurn();
        await accessor.SetAsync(setup, 1, Ct);
        await state.SaveChangesAsync(setup, false, Ct);

        var slow = NewTurn();
        var fast = NewTurn();
        await accessor.SetAsync(slow, (await accessor.GetAsync(slow, cancellationToken: Ct)) + 10, Ct);
        await accessor.SetAsync(fast, (await accessor.GetAsync(fast, cancellationToken: Ct)) + 1, Ct);
        await state.SaveChangesAsync(fast, false, Ct);

        await Assert.ThrowsAsync<StorageConcurrencyException>(() => state.SaveChangesAsync(slow, false, Ct));
        Assert.Equal(2, await accessor.GetAsync(NewTurn(), cancellationToken: Ct));
    }

    [Fact]
    public async Task SaveChanges_CanSaveAgainInTheSameTurn()
    {
        var state = new ConversationState(_storage);
        var accessor = state.CreateProperty<int>("count");
        var turn = NewTurn();

        await accessor.SetAsync(turn, 1, Ct);
        await state.SaveChangesAsync(turn, false, Ct);
        await accessor.SetAsync(turn, 2, Ct);
        await state.SaveChangesAsync(turn, false, Ct);

        Assert.Equal(2, await accessor.GetAsync(NewTurn(), cancellationToken: Ct));
    }

    [Fact]
    public async Task LoadAsync_WithForce_SeesWhatAnotherTurnSaved()
    {
        var state = new ConversationState(_storage);
        var accessor = state.CreateProperty<string>("stage");
        var turn = NewTurn();
        Assert.Null(await accessor.GetAsync(turn, cancellationToken: Ct));

        var other = NewTurn();
        await accessor.SetAsync(other, "handoff", Ct);
        await state.SaveChangesAsync(other, false, Ct);

        Assert.Null(await accessor.GetAsync(turn, cancellationToken: Ct));
        await state.LoadAsync(turn, true, Ct);
        Assert.Equal("handoff", await accessor.GetAsync(turn, cancellationToken: Ct));
    }

    [Fact]
    public async Task DeleteProperty_ClearState_AndDelete_RemoveWhatWasStored()
    {
        var state = new ConversationState(_storage);
        var topic = state.CreateProperty<string>("topic");
        var count = state.CreateProperty<int>("count");
        var turn = NewTurn();
        await topic.SetAsync(turn, "欠薪", Ct);
        await count.SetAsync(turn, 3, Ct);
        await state.SaveChangesAsync(turn, false, Ct);

        var second = NewTurn();
        await topic.DeleteAsync(second, Ct);
        await state.SaveChangesAsync(second, false, Ct);
        var stored = (await _storage.ReadAsync([ConversationKey], Ct))[ConversationKey].Value;
        Assert.False(stored.TryGetProperty("topic", out _));
        Assert.Equal(3, stored.GetProperty("count").GetInt32());

        var third = NewTurn();
        await state.LoadAsync(third, false, Ct);
        await state.ClearStateAsync(third, Ct);
        await state.SaveChangesAsync(third, false, Ct);
        Assert.Empty((await _storage.ReadAsync([ConversationKey], Ct))[ConversationKey].Value.EnumerateObject());

        await state.DeleteAsync(NewTurn(), Ct);
        Assert.Empty(await _storage.ReadAsync([ConversationKey], Ct));
    }

    [Fact]
    public async Task AutoSaveStateMiddleware_SavesEveryStateAfterTheTurn()
    {
        var conversation = new ConversationState(_storage);
        var user = new UserState(_storage);
        _adapter.Use(new AutoSaveStateMiddleware(conversation, user));

        await _adapter.SendTextAsync("你好", async (turn, ct) =>
        {
            await conversation.CreateProperty<string>("lastText").SetAsync(turn, turn.Activity.Text!, ct);
            await user.CreateProperty<int>("visits").SetAsync(turn, 1, ct);
            Assert.Equal(0, _storage.Writes);
        }, Ct);

        var stored = await _storage.ReadAsync([ConversationKey, UserKey], Ct);
        Assert.Equal("你好", stored[ConversationKey].Value.GetProperty("lastText").GetString());
        Assert.Equal(1, stored[UserKey].Value.GetProperty("visits").GetInt32());
    }

    [Fact]
    public async Task ConversationState_Throws_WhenTheActivityHasNoConversation()
    {
        var activity = _adapter.MakeMessage("hi");
        activity.Conversation = null;

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new ConversationState(_storage).LoadAsync(new TurnContext(_adapter, activity), false, Ct));
    }

    private TurnContext NewTurn() => new(_adapter, _adapter.MakeMessage("hi"));

    /// <summary>A storage that counts the writes that reach it.</summary>
    private sealed class CountingStorage(IStorage inner) : IStorage
    {
        private int _writes;

        public int Writes => _writes;

        public Task<IDictionary<string, StoreItem>> ReadAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(keys, cancellationToken);

        public Task WriteAsync(IDictionary<string, StoreItem> changes, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _writes);
            return inner.WriteAsync(changes, cancellationToken);
        }

        public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default) =>
            inner.DeleteAsync(keys, cancellationToken);
    }
}
