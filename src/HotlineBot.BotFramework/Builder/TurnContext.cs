using HotlineBot.BotFramework.Schema;

namespace HotlineBot.BotFramework.Builder;

/// <summary>The turn context the adapter creates for each incoming activity.</summary>
public sealed class TurnContext(BotAdapter adapter, Activity activity) : ITurnContext
{
    private readonly List<SendActivitiesHandler> _onSend = [];

    public BotAdapter Adapter { get; } = adapter ?? throw new ArgumentNullException(nameof(adapter));

    public Activity Activity { get; } = activity ?? throw new ArgumentNullException(nameof(activity));

    public IDictionary<string, object> TurnState { get; } = new Dictionary<string, object>(StringComparer.Ordinal);

    public bool Responded { get; private set; }

    public ITurnContext OnSendActivities(SendActivitiesHandler handler)
    {
        _onSend.Add(handler ?? throw new ArgumentNullException(nameof(handler)));
        return this;
    }

    public Task<ResourceResponse> SendActivityAsync(string text, CancellationToken cancellationToken = default) =>
        SendActivityAsync(Activity.CreateMessageActivity(text), cancellationToken);

    public async Task<ResourceResponse> SendActivityAsync(Activity activity, CancellationToken cancellationToken = default)
    {
        var responses = await SendActivitiesAsync([activity], cancellationToken).ConfigureAwait(false);
        return responses.Length > 0 ? responses[0] : new ResourceResponse();
    }

    public Task<ResourceResponse[]> SendActivitiesAsync(IReadOnlyList<Activity> activities, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activities);
        var reference = Activity.GetConversationReference();
        var outgoing = activities.Select(a => ApplyReference(a, reference)).ToList();

        Task<ResourceResponse[]> Send(int index)
        {
            if (index < _onSend.Count)
            {
                return _onSend[index](this, outgoing, () => Send(index + 1));
            }

            if (outgoing.Exists(a => a.Type == ActivityTypes.Message))
            {
                Responded = true;
            }

            return Adapter.SendActivitiesAsync(this, outgoing, cancellationToken);
        }

        return Send(0);
    }

    /// <summary>Addresses an outgoing activity into this turn's conversation, as a reply from the bot.</summary>
    private Activity ApplyReference(Activity activity, ConversationReference reference)
    {
        activity.ChannelId ??= reference.ChannelId;
        activity.ServiceUrl ??= reference.ServiceUrl;
        activity.Conversation ??= reference.Conversation;
        activity.From ??= reference.Bot is null ? null : new ChannelAccount { Id = reference.Bot.Id, Name = reference.Bot.Name, Role = RoleTypes.Bot };
        activity.Recipient ??= reference.User;
        activity.Locale ??= reference.Locale;
        activity.Timestamp ??= DateTimeOffset.UtcNow;
        if (activity.Type != ActivityTypes.Trace)
        {
            activity.ReplyToId ??= Activity.Id;
        }

        return activity;
    }
}
