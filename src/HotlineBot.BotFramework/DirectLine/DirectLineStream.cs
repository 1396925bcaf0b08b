using System.Net.WebSockets;
using System.Text.Json;
using HotlineBot.BotFramework.Schema;
using Microsoft.Extensions.Logging;

namespace HotlineBot.BotFramework.DirectLine;

/// <summary>
/// One client's WebSocket on a conversation: first every activity after the client's watermark, then each
/// change as it happens, as text frames <c>{"activities": [...], "watermark": "..."}</c> (typing, which is
/// not stored, comes alone and without a watermark, which clients then keep). Whatever the client sends
/// (DirectLineJS sends an empty frame every 20 seconds to notice a dead connection) only keeps the
/// conversation alive. The socket closes when the client closes it or the service stops (1001: going away,
/// after which DirectLineJS resumes through GET /conversations/{id}).
/// </summary>
internal sealed partial class DirectLineStream(WebSocket socket, string conversationId, IDirectLineStore store, int pageSize, ILogger logger)
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    public async Task RunAsync(string? watermark, CancellationToken stopping)
    {
        // Subscribed before the first read, so nothing stored in between is missed.
        using var subscription = store.Subscribe(conversationId);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        // Receiving has its own token: cancelling a receive aborts the socket, so it is cancelled only after
        // the close handshake had its chance.
        using var stopReceiving = new CancellationTokenSource();
        var receiving = ReceiveAsync(done, stopReceiving.Token);
        try
        {
            var mark = await SendStoredAsync(watermark, done.Token).ConfigureAwait(false);
            while (true)
            {
                var update = await subscription.Updates.ReadAsync(done.Token).ConfigureAwait(false);
                if (update is not null)
                {
                    await SendAsync(new TransientFrame([update]), done.Token).ConfigureAwait(false);
                }

                mark = await SendStoredAsync(mark, done.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or System.Threading.Channels.ChannelClosedException)
        {
            // The client went away or the service is stopping.
        }
        finally
        {
            await CloseAsync(stopping.IsCancellationRequested).ConfigureAwait(false);
            if (await Task.WhenAny(receiving, Task.Delay(CloseTimeout, CancellationToken.None)).ConfigureAwait(false) != receiving)
            {
                await stopReceiving.CancelAsync().ConfigureAwait(false);
            }

            await receiving.ConfigureAwait(false);
        }
    }

    /// <summary>Sends what is stored after <paramref name="watermark"/>, page by page; the watermark after it.</summary>
    private async Task<string?> SendStoredAsync(string? watermark, CancellationToken cancellationToken)
    {
        while (true)
        {
            var page = await store.ReadAsync(conversationId, watermark, pageSize, cancellationToken).ConfigureAwait(false);
            if (page is null || page.Activities.Count == 0)
            {
                return page?.Watermark ?? watermark;
            }

            await SendAsync(page, cancellationToken).ConfigureAwait(false);
            watermark = page.Watermark;
        }
    }

    private Task SendAsync<T>(T frame, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(frame, ProtocolJson.Options);
        return socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
    }

    /// <summary>Reads (and ignores) what the client sends until it closes; each message keeps the conversation alive.</summary>
    private async Task ReceiveAsync(CancellationTokenSource done, CancellationToken cancellationToken)
    {
        var buffer = new byte[4 * 1024];
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                if (received.EndOfMessage)
                {
                    await store.OpenAsync(conversationId, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Aborted after the close had its chance, or the connection broke.
        }
        finally
        {
            // The client closed (or the socket broke): the send loop ends too.
            await done.CancelAsync().ConfigureAwait(false);
        }
    }

    private async Task CloseAsync(bool stopping)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(CloseTimeout);
        try
        {
            await socket.CloseOutputAsync(
                stopping ? WebSocketCloseStatus.EndpointUnavailable : WebSocketCloseStatus.NormalClosure,
                stopping ? "service stopping" : null,
                timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            LogCloseFailed(logger, conversationId, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Closing the Direct Line stream of conversation {ConversationId} failed: {Reason}")]
    private static partial void LogCloseFailed(ILogger logger, string conversationId, string reason);

    /// <summary>A frame with an activity that has no watermark of its own.</summary>
    private sealed record TransientFrame(IReadOnlyList<Activity> Activities);
}
