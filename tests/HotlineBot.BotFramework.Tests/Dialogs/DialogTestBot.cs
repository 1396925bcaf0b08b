using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Dialogs;
using HotlineBot.BotFramework.Schema;
using HotlineBot.BotFramework.State;

namespace HotlineBot.BotFramework.Tests.Dialogs;

/// <summary>
/// A bot as the host would wire one: conversation state over a storage, saved after every turn by
/// the middleware, and a root dialog (a component holding the rest) run with
/// <see cref="DialogExtensions.RunAsync"/>. A new instance over the same storage is a restarted bot.
/// </summary>
public sealed class DialogTestBot
{
    public DialogTestBot(IStorage storage, Dialog rootDialog)
    {
        ConversationState = new ConversationState(storage);
        DialogStateAccessor = ConversationState.CreateProperty<DialogState>("DialogState");
        RootDialog = rootDialog;
        Adapter = new TestAdapter();
        Adapter.Use(new AutoSaveStateMiddleware(ConversationState));
    }

    public ConversationState ConversationState { get; }

    public IStatePropertyAccessor<DialogState> DialogStateAccessor { get; }

    public Dialog RootDialog { get; }

    public TestAdapter Adapter { get; }

    /// <summary>Every turn's outcome, in order.</summary>
    public List<DialogTurnResult> Results { get; } = [];

    /// <summary>Words that cancel whatever is going on.</summary>
    public string CancelWord { get; init; } = "取消";

    public Task<IReadOnlyList<Activity>> SayAsync(string text) =>
        Adapter.SendTextAsync(text, OnTurnAsync, TestContext.Current.CancellationToken);

    public Task<IReadOnlyList<Activity>> SendAsync(Activity activity) =>
        Adapter.ProcessActivityAsync(activity, OnTurnAsync, TestContext.Current.CancellationToken);

    private async Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        if (turnContext.Activity.Text == CancelWord)
        {
            var dc = await new DialogSet(DialogStateAccessor).Add(RootDialog).CreateContextAsync(turnContext, cancellationToken);
            var cancelled = await dc.CancelAllDialogsAsync(cancellationToken);
            await turnContext.SendActivityAsync("已取消。", cancellationToken);
            Results.Add(cancelled);
            return;
        }

        Results.Add(await RootDialog.RunAsync(turnContext, DialogStateAccessor, cancellationToken));
    }
}

/// <summary>Small builders for the tests' messages.</summary>
internal static class Say
{
    public static Activity Message(string text) => Activity.CreateMessageActivity(text);

    public static IReadOnlyList<string?> Texts(IEnumerable<Activity> activities) => [.. activities.Select(a => a.Text)];

    public static IReadOnlyList<string?> Buttons(Activity activity) =>
        [.. activity.SuggestedActions?.Actions.Select(a => a.Title) ?? []];
}
