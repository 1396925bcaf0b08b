using System.Text;
using System.Text.Json;
using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Integration;
using HotlineBot.BotFramework.Schema;
using HotlineBot.Dialogs.Replies;
using HotlineBot.Knowledge.Evaluation;

namespace HotlineBot.Evaluation;

/// <summary>
/// Runs each case through the real turn pipeline in process: the question goes to the adapter as a
/// fresh conversation with <c>deliveryMode: "expectReplies"</c>, exactly as ../shared/eval/score.py
/// sends it over HTTP, and the replies are read the same way (kind from channelData.hotline, text
/// from the text and every string inside the attachments).
/// </summary>
public sealed class PipelineEvalRunner(IBotFrameworkHttpAdapter adapter, IBot bot, IServiceProvider services) : IEvalRunner
{
    private static readonly HashSet<string> Kinds = ["answer", "fallback", "handoff", "emergency"];

    public IReadOnlySet<string> JudgedKinds => Kinds;

    public async Task<EvalOutcome> RunAsync(EvalCase evalCase, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evalCase);
        var conversation = "eval-" + Guid.NewGuid().ToString("n")[..12];
        var activity = new Activity
        {
            Type = ActivityTypes.Message,
            Id = Guid.NewGuid().ToString("n"),
            ChannelId = "directline",
            ServiceUrl = "http://127.0.0.1:9/",
            Locale = "zh-CN",
            From = new ChannelAccount { Id = "worker-" + conversation, Name = "worker", Role = RoleTypes.User },
            Recipient = new ChannelAccount { Id = "hotline-bot", Role = RoleTypes.Bot },
            Conversation = new ConversationAccount { Id = conversation },
            Text = evalCase.Question,
            DeliveryMode = DeliveryModes.ExpectReplies,
            Timestamp = DateTimeOffset.UtcNow,
        };

        var http = new DefaultHttpContext { RequestServices = services };
        http.Request.Method = HttpMethods.Post;
        http.Request.ContentType = "application/json";
        http.Request.Body = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(activity, ProtocolJson.Options));
        using var body = new MemoryStream();
        http.Response.Body = body;
        await adapter.ProcessAsync(http.Request, http.Response, bot, cancellationToken).ConfigureAwait(false);

        var replies = body.Length == 0
            ? []
            : JsonSerializer.Deserialize<ExpectedReplies>(body.ToArray(), ProtocolJson.Options)?.Activities ?? [];
        return Read(replies);
    }

    /// <summary>The kinds, text, entry and confidence of the message replies.</summary>
    internal static EvalOutcome Read(IEnumerable<Activity> replies)
    {
        var kinds = new List<string>();
        var text = new StringBuilder();
        string? entryId = null;
        double? confidence = null;
        foreach (var reply in replies.Where(r => r.Type == ActivityTypes.Message))
        {
            if (reply.GetHotlineMetadata() is { } hotline)
            {
                kinds.Add(hotline.Kind);
                entryId ??= hotline.EntryId;
                confidence ??= hotline.Confidence;
            }

            text.AppendLine(reply.Text);
            foreach (var attachment in reply.Attachments ?? [])
            {
                Flatten(JsonSerializer.SerializeToElement(attachment, ProtocolJson.Options), text);
            }
        }

        return new EvalOutcome(kinds, text.ToString(), entryId, confidence);
    }

    private static void Flatten(JsonElement value, StringBuilder text)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                text.AppendLine(value.GetString());
                break;
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    Flatten(property.Value, text);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    Flatten(item, text);
                }

                break;
        }
    }
}
