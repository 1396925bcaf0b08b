using HotlineBot.BotFramework.Schema;

namespace HotlineBot.BotFramework.Builder;

/// <summary>Keeps a transcript: every activity a conversation receives and sends (as Bot Builder's ITranscriptLogger).</summary>
public interface ITranscriptLogger
{
    Task LogActivityAsync(Activity activity, CancellationToken cancellationToken);
}

/// <summary>
/// A transcript that can be read back (Bot Builder's ITranscriptStore, reduced to what a bot needs
/// during a turn): a handoff sends the conversation so far to whoever takes over.
/// </summary>
public interface ITranscriptStore : ITranscriptLogger
{
    /// <summary>The last <paramref name="max"/> activities of the conversation, oldest first, those of the current turn included.</summary>
    Task<IReadOnlyList<Activity>> GetTranscriptActivitiesAsync(string channelId, string conversationId, int max, CancellationToken cancellationToken);
}

/// <summary>Hands each incoming activity, and each activity the turn sends, to the transcript (typing left out).</summary>
public sealed class TranscriptLoggerMiddleware(ITranscriptLogger transcript) : IMiddleware
{
    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(next);
        await LogAsync(turnContext.Activity, cancellationToken).ConfigureAwait(false);
        turnContext.OnSendActivities(async (_, activities, sendNext) =>
        {
            var responses = await sendNext().ConfigureAwait(false);
            foreach (var activity in activities)
            {
                await LogAsync(activity, cancellationToken).ConfigureAwait(false);
            }

            return responses;
        });
        await next(cancellationToken).ConfigureAwait(false);
    }

    private Task LogAsync(Activity activity, CancellationToken cancellationToken) =>
        activity.Type == ActivityTypes.Typing ? Task.CompletedTask : transcript.LogActivityAsync(activity, cancellationToken);
}
