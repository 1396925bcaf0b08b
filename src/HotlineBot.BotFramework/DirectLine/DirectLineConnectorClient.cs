using System.Net;
using HotlineBot.BotFramework.Connector;
using HotlineBot.BotFramework.Schema;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotlineBot.BotFramework.DirectLine;

/// <summary>
/// Sends what the bot says into Direct Line conversations: an activity whose serviceUrl is
/// <see cref="DirectLineOptions.ServiceUrl"/> goes into the conversation's queue in process (replies
/// and proactive messages alike); any other goes on to the Connector over HTTP. Typing reaches open
/// streams only, as in the public service; trace activities are for the Emulator and are dropped.
/// </summary>
public sealed partial class DirectLineConnectorClient(
    IConnectorClient inner,
    IDirectLineStore store,
    IOptions<DirectLineOptions> options,
    ILogger<DirectLineConnectorClient> logger) : IConnectorClient
{
    public static bool IsDirectLine(Activity activity) =>
        string.Equals(activity?.ServiceUrl, DirectLineOptions.ServiceUrl, StringComparison.OrdinalIgnoreCase);

    public Task<ResourceResponse> SendAsync(Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return IsDirectLine(activity) ? QueueAsync(activity, throwOnFailure: false, cancellationToken) : inner.SendAsync(activity, cancellationToken);
    }

    public Task<ResourceResponse> DeliverAsync(Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return IsDirectLine(activity) ? QueueAsync(activity, throwOnFailure: true, cancellationToken) : inner.DeliverAsync(activity, cancellationToken);
    }

    private async Task<ResourceResponse> QueueAsync(Activity activity, bool throwOnFailure, CancellationToken cancellationToken)
    {
        if (activity.Type == ActivityTypes.Trace)
        {
            return new ResourceResponse();
        }

        var conversationId = activity.Conversation?.Id;
        if (string.IsNullOrEmpty(conversationId))
        {
            LogNoConversation(logger, activity.Type);
            return throwOnFailure ? throw new HttpRequestException("The activity names no Direct Line conversation.", null, HttpStatusCode.BadRequest) : new ResourceResponse();
        }

        // Web Chat shows an activity as the bot's by from.role.
        var bot = options.Value;
        activity.From ??= new ChannelAccount { Id = bot.BotId, Name = bot.BotName };
        activity.From.Role ??= RoleTypes.Bot;
        if (activity.Type == ActivityTypes.Typing)
        {
            await store.PublishAsync(conversationId, activity, cancellationToken).ConfigureAwait(false);
            return new ResourceResponse();
        }

        var appended = await store.AppendAsync(conversationId, activity, cancellationToken).ConfigureAwait(false);
        if (appended is null)
        {
            // Expired (or lost with a restart): nobody can read it, so a proactive sender must not count it as delivered.
            LogClosed(logger, activity.Type, conversationId);
            return throwOnFailure
                ? throw new HttpRequestException($"The Direct Line conversation {conversationId} is closed.", null, HttpStatusCode.NotFound)
                : new ResourceResponse();
        }

        return new ResourceResponse(appended.Id);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot send a {Type} activity into Direct Line: it names no conversation.")]
    private static partial void LogNoConversation(ILogger logger, string? type);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped a {Type} activity for Direct Line conversation {ConversationId}: the conversation is closed.")]
    private static partial void LogClosed(ILogger logger, string? type, string conversationId);
}
