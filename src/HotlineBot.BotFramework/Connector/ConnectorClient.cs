using System.Net.Http.Headers;
using System.Net.Http.Json;
using HotlineBot.BotFramework.Authentication;
using HotlineBot.BotFramework.Schema;
using Microsoft.Extensions.Logging;

namespace HotlineBot.BotFramework.Connector;

/// <summary>Sends activities to a channel's Bot Connector REST API (v3).</summary>
public interface IConnectorClient
{
    /// <summary>POST {serviceUrl}/v3/conversations/{id}/activities[/{replyToId}]; retried, and a final failure is logged, not thrown.</summary>
    Task<ResourceResponse> SendAsync(Activity activity, CancellationToken cancellationToken);

    /// <summary>
    /// One attempt that throws <see cref="HttpRequestException"/> (with the status code when the channel
    /// answered) when the channel does not take the activity: for proactive messages whose sender records
    /// the outcome and retries on its own schedule.
    /// </summary>
    Task<ResourceResponse> DeliverAsync(Activity activity, CancellationToken cancellationToken);
}

/// <summary>The Connector client over HttpClient, with the app's token when it has one.</summary>
public sealed partial class ConnectorClient(HttpClient http, IAppCredentials credentials, ILogger<ConnectorClient> logger) : IConnectorClient
{
    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)];

    public Task<ResourceResponse> SendAsync(Activity activity, CancellationToken cancellationToken) => SendCoreAsync(activity, throwOnFailure: false, cancellationToken);

    public Task<ResourceResponse> DeliverAsync(Activity activity, CancellationToken cancellationToken) => SendCoreAsync(activity, throwOnFailure: true, cancellationToken);

    private async Task<ResourceResponse> SendCoreAsync(Activity activity, bool throwOnFailure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var uri = ActivityUri(activity);
        if (uri is null)
        {
            LogNoAddress(logger, activity.Type);
            return throwOnFailure ? throw new HttpRequestException("The activity has no serviceUrl or conversation to send to.") : new ResourceResponse();
        }

        System.Net.HttpStatusCode? lastStatus = null;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, uri)
                {
                    Content = JsonContent.Create(activity, options: ProtocolJson.Options),
                };
                if (await credentials.GetTokenAsync(cancellationToken).ConfigureAwait(false) is { } token)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                }

                using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return await ReadResponseAsync(response, cancellationToken).ConfigureAwait(false);
                }

                // A 4xx other than throttling will not get better by asking again.
                lastStatus = response.StatusCode;
                if ((int)response.StatusCode < 500 && (int)response.StatusCode != 429)
                {
                    LogRefused(logger, uri, (int)response.StatusCode);
                    return throwOnFailure
                        ? throw new HttpRequestException($"The channel refused the activity: HTTP {(int)response.StatusCode}.", null, response.StatusCode)
                        : new ResourceResponse();
                }

                LogFailed(logger, uri, attempt + 1, $"HTTP {(int)response.StatusCode}");
            }
            catch (HttpRequestException e)
            {
                LogFailed(logger, uri, attempt + 1, e.Message);
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                LogFailed(logger, uri, attempt + 1, "timed out");
            }

            if (attempt >= RetryDelays.Length || throwOnFailure)
            {
                if (throwOnFailure)
                {
                    throw new HttpRequestException("The channel did not take the activity.", null, lastStatus);
                }

                LogGaveUp(logger, uri);
                return new ResourceResponse();
            }

            await Task.Delay(RetryDelays[attempt], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Replies go under the activity they answer; other messages to the conversation.</summary>
    internal static Uri? ActivityUri(Activity activity)
    {
        if (string.IsNullOrEmpty(activity.ServiceUrl) || string.IsNullOrEmpty(activity.Conversation?.Id)
            || !Uri.TryCreate(activity.ServiceUrl.TrimEnd('/') + "/", UriKind.Absolute, out var service))
        {
            return null;
        }

        var path = $"v3/conversations/{Uri.EscapeDataString(activity.Conversation.Id)}/activities";
        if (!string.IsNullOrEmpty(activity.ReplyToId))
        {
            path += "/" + Uri.EscapeDataString(activity.ReplyToId);
        }

        return new Uri(service, path);
    }

    private static async Task<ResourceResponse> ReadResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<ResourceResponse>(ProtocolJson.Options, cancellationToken).ConfigureAwait(false)
                ?? new ResourceResponse();
        }
        catch (System.Text.Json.JsonException)
        {
            return new ResourceResponse();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot send a {Type} activity: it has no serviceUrl or conversation.")]
    private static partial void LogNoAddress(ILogger logger, string? type);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The connector at {Uri} refused an activity: HTTP {Status}.")]
    private static partial void LogRefused(ILogger logger, Uri uri, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending to {Uri} failed (attempt {Attempt}): {Reason}.")]
    private static partial void LogFailed(ILogger logger, Uri uri, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Gave up sending to {Uri} after retries.")]
    private static partial void LogGaveUp(ILogger logger, Uri uri);
}
