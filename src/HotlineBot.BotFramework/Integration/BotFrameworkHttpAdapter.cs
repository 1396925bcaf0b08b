using System.Text.Json;
using HotlineBot.BotFramework.Authentication;
using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Connector;
using HotlineBot.BotFramework.Schema;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotlineBot.BotFramework.Integration;

/// <summary>Processes Bot Framework requests arriving over HTTP (as Bot Builder's IBotFrameworkHttpAdapter).</summary>
public interface IBotFrameworkHttpAdapter
{
    Task ProcessAsync(HttpRequest request, HttpResponse response, IBot bot, CancellationToken cancellationToken = default);
}

/// <summary>
/// The adapter behind <c>POST /api/messages</c>, shaped like Bot Builder's CloudAdapter: it reads
/// and checks the activity (400 malformed, 413 too large, 401 unauthenticated; never a 500 for a
/// caller's mistake), runs the middleware and the bot, and either returns the replies in the
/// response (<c>deliveryMode: "expectReplies"</c>) or sends them to the channel's serviceUrl.
/// </summary>
public sealed partial class BotFrameworkHttpAdapter(
    IChannelAuthenticator authenticator,
    IConnectorClient connector,
    IOptions<BotFrameworkOptions> options,
    ILogger<BotFrameworkHttpAdapter> logger) : BotAdapter, IBotFrameworkHttpAdapter
{
    private const string RepliesKey = "HotlineBot.BotFramework.BufferedReplies";
    private const string ProactiveKey = "HotlineBot.BotFramework.Proactive";

    /// <summary>Called when the bot throws; the default logs and apologises to the user.</summary>
    public Func<ITurnContext, Exception, Task>? OnTurnError { get; set; }

    public async Task ProcessAsync(HttpRequest request, HttpResponse response, IBot bot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(bot);
        if (!HttpMethods.IsPost(request.Method))
        {
            await RefuseAsync(response, StatusCodes.Status405MethodNotAllowed, "only POST is accepted").ConfigureAwait(false);
            return;
        }

        var (activity, status, problem) = await ReadActivityAsync(request, cancellationToken).ConfigureAwait(false);
        if (activity is null)
        {
            await RefuseAsync(response, status, problem!).ConfigureAwait(false);
            return;
        }

        try
        {
            await authenticator.AuthenticateAsync(request.Headers.Authorization.ToString(), activity, cancellationToken).ConfigureAwait(false);
        }
        catch (UnauthorizedAccessException e)
        {
            LogUnauthorized(logger, e.Message);
            await RefuseAsync(response, StatusCodes.Status401Unauthorized, "unauthorized").ConfigureAwait(false);
            return;
        }

        var context = new TurnContext(this, activity);
        var expectReplies = activity.DeliveryMode == DeliveryModes.ExpectReplies;
        if (expectReplies)
        {
            context.TurnState[RepliesKey] = new List<Activity>();
        }

        await RunTurnAsync(context, bot, cancellationToken).ConfigureAwait(false);

        if (expectReplies)
        {
            var replies = (List<Activity>)context.TurnState[RepliesKey];
            response.StatusCode = StatusCodes.Status200OK;
            await response.WriteAsJsonAsync(new ExpectedReplies { Activities = replies }, ProtocolJson.Options, cancellationToken).ConfigureAwait(false);
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
    }

    /// <summary>
    /// Runs a turn for an activity a channel hosted in this process received (Direct Line): the same
    /// middleware, bot and error handling as <see cref="ProcessAsync"/>, without an HTTP request and without
    /// the channel-token check, since the channel is this service itself. What the bot sends goes through the
    /// connector to the activity's serviceUrl. The bot's failures are handled here, never thrown.
    /// </summary>
    public Task ProcessActivityAsync(Activity activity, IBot bot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(bot);
        return RunTurnAsync(new TurnContext(this, activity), bot, cancellationToken);
    }

    /// <summary>
    /// As <see cref="ProcessActivityAsync"/>, for a hosted channel that delivers the turn's replies itself (WeChat's
    /// passive reply): what the bot sends is kept, as with <c>expectReplies</c>, and returned when the turn ends. The
    /// activity keeps its delivery mode, so the conversation is remembered for proactive messages as usual.
    /// </summary>
    public async Task<IReadOnlyList<Activity>> ProcessActivityForRepliesAsync(Activity activity, IBot bot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(bot);
        var context = new TurnContext(this, activity);
        var replies = new List<Activity>();
        context.TurnState[RepliesKey] = replies;
        await RunTurnAsync(context, bot, cancellationToken).ConfigureAwait(false);
        return replies;
    }

    public override async Task<ResourceResponse[]> SendActivitiesAsync(ITurnContext turnContext, IReadOnlyList<Activity> activities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(activities);
        var responses = new ResourceResponse[activities.Count];
        for (var i = 0; i < activities.Count; i++)
        {
            var activity = activities[i];
            if (turnContext.TurnState.TryGetValue(RepliesKey, out var buffer))
            {
                // expectReplies: everything goes back in the HTTP response; nothing (not even typing) to serviceUrl.
                if (activity.Type != ActivityTypes.Typing)
                {
                    activity.Id ??= Guid.NewGuid().ToString("n");
                    ((List<Activity>)buffer).Add(activity);
                }

                responses[i] = new ResourceResponse(activity.Id);
                continue;
            }

            // A reply's failure is logged (the channel's request must not fail); a proactive message's is thrown to its sender.
            responses[i] = turnContext.TurnState.ContainsKey(ProactiveKey)
                ? await connector.DeliverAsync(activity, cancellationToken).ConfigureAwait(false)
                : await connector.SendAsync(activity, cancellationToken).ConfigureAwait(false);
        }

        return responses;
    }

    /// <summary>
    /// A proactive turn (operator replies, follow-ups): unlike a reply, a message that cannot be delivered
    /// throws out of <c>SendActivityAsync</c>, so the caller can record it and try again.
    /// </summary>
    public override Task ContinueConversationAsync(ConversationReference reference, Func<ITurnContext, CancellationToken, Task> callback, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(callback);
        var context = new TurnContext(this, reference.GetContinuationActivity());
        context.TurnState[ProactiveKey] = true;
        return RunPipelineAsync(context, callback, cancellationToken);
    }

    private async Task RunTurnAsync(TurnContext context, IBot bot, CancellationToken cancellationToken)
    {
        try
        {
            await RunPipelineAsync(context, bot.OnTurnAsync, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogTurnFailed(logger, e, context.Activity.Type, context.Activity.Conversation?.Id);
            if (OnTurnError is { } handler)
            {
                await handler(context, e).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The activity, or the status and reason to refuse it with.</summary>
    private async Task<(Activity? Activity, int Status, string? Problem)> ReadActivityAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxActivityBytes;
        if (request.ContentLength > limit)
        {
            return (null, StatusCodes.Status413PayloadTooLarge, $"activities are limited to {limit} bytes");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return (null, StatusCodes.Status413PayloadTooLarge, $"activities are limited to {limit} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return (null, StatusCodes.Status400BadRequest, "the request has no body; an Activity is expected");
        }

        Activity? activity;
        try
        {
            activity = JsonSerializer.Deserialize<Activity>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), ProtocolJson.Options);
        }
        catch (JsonException e)
        {
            return (null, StatusCodes.Status400BadRequest, $"not a JSON Activity: {e.Message}");
        }

        var problem = activity is null ? "not a JSON Activity" : Problem(activity);
        return problem is null ? (activity, 0, null) : (null, StatusCodes.Status400BadRequest, problem);
    }

    /// <summary>What makes an activity impossible to handle, or null.</summary>
    private static string? Problem(Activity activity)
    {
        if (string.IsNullOrWhiteSpace(activity.Type))
        {
            return "the activity has no type";
        }

        if (string.IsNullOrWhiteSpace(activity.Conversation?.Id))
        {
            return "the activity has no conversation.id";
        }

        if (activity.DeliveryMode != DeliveryModes.ExpectReplies
            && (string.IsNullOrWhiteSpace(activity.ServiceUrl) || !Uri.TryCreate(activity.ServiceUrl, UriKind.Absolute, out _)))
        {
            return "the activity has no absolute serviceUrl to reply to";
        }

        return null;
    }

    private static Task RefuseAsync(HttpResponse response, int status, string reason)
    {
        response.StatusCode = status;
        return response.WriteAsJsonAsync(new { error = new { code = ErrorCode(status), message = reason } });
    }

    private static string ErrorCode(int status) => status switch
    {
        400 => "BadArgument",
        401 => "Unauthorized",
        405 => "MethodNotAllowed",
        413 => "PayloadTooLarge",
        _ => "Error",
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an unauthenticated request: {Reason}")]
    private static partial void LogUnauthorized(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The bot failed on a {Type} activity in conversation {ConversationId}.")]
    private static partial void LogTurnFailed(ILogger logger, Exception exception, string? type, string? conversationId);
}
