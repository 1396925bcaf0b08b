using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace HotlineBot.Tests.DirectLine;

/// <summary>A Direct Line session as the page runs it: a token from /api/chat/token, then the calls DirectLineJS makes.</summary>
internal sealed record ChatSession(string Token, string ConversationId, int ExpiresIn, string UserId);

/// <summary>A response's status and JSON body (null when empty).</summary>
internal sealed record DirectLineResponse(HttpStatusCode Status, JsonNode? Body)
{
    public string? ErrorCode => (string?)Body?["error"]?["code"];
}

/// <summary>Calls the host's Direct Line API over real HTTP and WebSockets, with the headers DirectLineJS sends.</summary>
internal sealed class DirectLineClient(HttpClient http)
{
    public const string Base = "/v3/directline";

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public async Task<ChatSession> ChatTokenAsync(CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Post, "/api/chat/token", null, null, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.Status);
        var body = response.Body!;
        return new ChatSession((string)body["token"]!, (string)body["conversationId"]!, (int)body["expires_in"]!, (string)body["userId"]!);
    }

    /// <summary>POST /conversations with the token, as DirectLineJS starts (its body: {user: {}}); asserts success.</summary>
    public async Task<JsonNode> StartAsync(string token, CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Post, Base + "/conversations", token, new JsonObject { ["user"] = new JsonObject() }, cancellationToken);
        Assert.True(response.Status is HttpStatusCode.Created or HttpStatusCode.OK, $"start: {response.Status}");
        return response.Body!;
    }

    /// <summary>POSTs the activity and returns the id the service gave it (asserting 200).</summary>
    public async Task<string> PostAsync(ChatSession session, JsonObject activity, CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Post, $"{Base}/conversations/{session.ConversationId}/activities", session.Token, activity, cancellationToken);
        Assert.True(response.Status == HttpStatusCode.OK, $"post: {response.Status} {response.Body?.ToJsonString()}");
        return (string)response.Body!["id"]!;
    }

    public Task<DirectLineResponse> GetActivitiesAsync(string conversationId, string? token, string? watermark, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"{Base}/conversations/{conversationId}/activities?watermark={watermark}", token, null, cancellationToken);

    /// <summary>
    /// Polls with the watermark, as DirectLineJS does, collecting activities until <paramref name="until"/>
    /// holds for what was collected; fails after <paramref name="timeout"/>.
    /// </summary>
    public async Task<(List<JsonObject> Activities, string? Watermark)> PollUntilAsync(
        ChatSession session, string? watermark, Func<IReadOnlyList<JsonObject>, bool> until, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var collected = new List<JsonObject>();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var response = await GetActivitiesAsync(session.ConversationId, session.Token, watermark, cancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.Status);
            var activities = response.Body!["activities"]!.AsArray().Select(a => a!.AsObject()).ToList();
            collected.AddRange(activities);
            watermark = (string?)response.Body["watermark"] ?? watermark;
            if (until(collected))
            {
                return (collected, watermark);
            }

            Assert.True(DateTime.UtcNow < deadline, $"gave up after {timeout.TotalSeconds} s; received: {new JsonArray([.. collected.Select(a => a.DeepClone())]).ToJsonString()}");
            if (activities.Count == 0)
            {
                await Task.Delay(PollInterval, cancellationToken);
            }
        }
    }

    public async Task<DirectLineResponse> SendAsync(HttpMethod method, string path, string? token, JsonNode? body, CancellationToken cancellationToken, string scheme = "Bearer")
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(scheme, token);
        }

        // What DirectLineJS 0.15 adds to every call.
        request.Headers.Add("x-ms-bot-agent", "DirectLine/3.0 (directlinejs 0.15.6)");
        request.Headers.Add("X-Requested-With", "XMLHttpRequest");
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return new DirectLineResponse(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>A message as Web Chat 4.18 posts it, with a from.id the service must not believe.</summary>
    public static JsonObject WebChatMessage(string text, string clientActivityId) => new()
    {
        ["type"] = "message",
        ["channelId"] = "webchat",
        ["from"] = new JsonObject { ["id"] = "r_spoofed", ["name"] = "", ["role"] = "user" },
        ["text"] = text,
        ["textFormat"] = "plain",
        ["locale"] = "zh-CN",
        ["localTimestamp"] = DateTimeOffset.Now.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
        ["localTimezone"] = "Asia/Shanghai",
        ["attachments"] = new JsonArray(),
        ["channelData"] = new JsonObject
        {
            ["clientActivityID"] = clientActivityId,
            ["clientTimestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        },
        ["entities"] = new JsonArray(new JsonObject
        {
            ["requiresBotState"] = true,
            ["supportsListening"] = true,
            ["supportsTts"] = true,
            ["type"] = "ClientCapabilities",
        }),
    };

    /// <summary>A bot message activity (not an echo) that replies to <paramref name="id"/>.</summary>
    public static bool IsReplyTo(JsonObject activity, string id) =>
        (string?)activity["type"] == "message" && (string?)activity["from"]?["role"] == "bot" && (string?)activity["replyToId"] == id;

    public static string? Kind(JsonObject activity) => (string?)activity["channelData"]?["hotline"]?["kind"];
}

/// <summary>A WebSocket on a conversation's streamUrl, reading frames as DirectLineJS does.</summary>
internal sealed class DirectLineSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly List<JsonObject> _received = [];

    private DirectLineSocket()
    {
    }

    /// <summary>Every activity received so far, in order.</summary>
    public IReadOnlyList<JsonObject> Received => _received;

    /// <summary>The watermarks the frames carried (typing frames carry none).</summary>
    public List<string> Watermarks { get; } = [];

    public WebSocketState State => _socket.State;

    public static async Task<DirectLineSocket> ConnectAsync(string streamUrl, CancellationToken cancellationToken)
    {
        var socket = new DirectLineSocket();
        await socket._socket.ConnectAsync(new Uri(streamUrl), cancellationToken);
        return socket;
    }

    /// <summary>The empty frame DirectLineJS sends every 20 seconds.</summary>
    public Task PingAsync(CancellationToken cancellationToken) =>
        _socket.SendAsync(ReadOnlyMemory<byte>.Empty, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).AsTask();

    /// <summary>Reads frames until <paramref name="until"/> holds for everything received; fails after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<JsonObject>> ReceiveUntilAsync(Func<IReadOnlyList<JsonObject>, bool> until, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            while (!until(_received))
            {
                var frame = await ReceiveFrameAsync(limit.Token);
                Assert.True(frame is not null, "the service closed the stream");
                if (frame.Length == 0)
                {
                    continue;
                }

                var set = JsonNode.Parse(frame)!;
                _received.AddRange(set["activities"]!.AsArray().Select(a => a!.AsObject()));
                if ((string?)set["watermark"] is { } watermark)
                {
                    Watermarks.Add(watermark);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"gave up after {timeout.TotalSeconds} s; received: {new JsonArray([.. _received.Select(a => a.DeepClone())]).ToJsonString()}");
        }

        return _received;
    }

    /// <summary>Closes as a browser does and returns how the service answered.</summary>
    public async Task<WebSocketCloseStatus?> CloseAsync(CancellationToken cancellationToken)
    {
        await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken);
        return _socket.CloseStatus;
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>One text frame's bytes (empty for an empty frame), or null when the service closed.</summary>
    private async Task<byte[]?> ReceiveFrameAsync(CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8 * 1024];
        while (true)
        {
            var result = await _socket.ReceiveAsync(chunk, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            buffer.Write(chunk, 0, result.Count);
            if (result.EndOfMessage)
            {
                return buffer.ToArray();
            }
        }
    }
}
