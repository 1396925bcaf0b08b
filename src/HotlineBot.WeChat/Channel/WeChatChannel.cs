using System.Text.Json;
using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Integration;
using HotlineBot.BotFramework.Schema;
using HotlineBot.BotFramework.State;
using HotlineBot.WeChat.Protocol;
using HotlineBot.WeChat.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotlineBot.WeChat.Channel;

/// <summary>
/// Handles one verified push. Each push is claimed once in the <see cref="IWeChatPushLog"/>, so WeChat's retries never
/// run a turn twice and get the first answer again. The turn runs through the same adapter pipeline as every channel;
/// when it ends within <see cref="WeChatOptions.ReplyBudget"/> its reply is the passive reply (what does not fit one
/// message follows through the customer-service API), otherwise the push is answered <c>success</c> and the whole
/// reply follows through that API when ready. Numbered choices are remembered per follower, so "2" picks the second.
/// </summary>
public sealed partial class WeChatChannel(
    BotFrameworkHttpAdapter adapter,
    IBot bot,
    IWeChatPushLog pushes,
    IWeChatSendWindow window,
    WeChatSender sender,
    IStorage storage,
    IOptions<WeChatOptions> options,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<WeChatChannel> logger)
{
    private static readonly TimeSpan RetryPoll = TimeSpan.FromMilliseconds(100);

    /// <summary>Answers a push; <paramref name="started"/> is when its request arrived (the budget counts from there).</summary>
    public async Task<WeChatAnswer> HandleAsync(WeChatInbound push, long started, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(push);
        if (string.IsNullOrEmpty(push.FromUserName))
        {
            return WeChatAnswer.Success;
        }

        var budget = options.Value.ReplyBudget;
        var claim = await pushes.ClaimAsync(push.DedupKey, cancellationToken).ConfigureAwait(false);
        if (!claim.First)
        {
            LogRetry(logger, push.DedupKey);
            return new WeChatAnswer(Passive(claim.Reply ?? await WaitForReplyAsync(push.DedupKey, started, budget, cancellationToken).ConfigureAwait(false)));
        }

        // Claimed: from here on the push is ours to finish even if WeChat hangs up, or its retries would find no answer.
        var stopping = lifetime.ApplicationStopping;
        var openId = push.FromUserName;
        var intent = WeChatActivities.Interpret(push);
        var now = time.GetUtcNow();
        switch (intent)
        {
            case WeChatIntent.Acknowledge acknowledge:
                if (acknowledge.Trigger is { } trigger)
                {
                    await window.OpenAsync(openId, trigger, now, stopping).ConfigureAwait(false);
                }

                return await CompleteAsync(push, null).ConfigureAwait(false);

            case WeChatIntent.Answer answer:
                await window.OpenAsync(openId, answer.Trigger, now, stopping).ConfigureAwait(false);
                return await CompleteAsync(push, answer.Text).ConfigureAwait(false);

            case WeChatIntent.KeepLocation location:
                await window.OpenAsync(openId, WeChatTrigger.Message, now, stopping).ConfigureAwait(false);
                await WriteAsync(LocationKey(openId), location.Location, stopping).ConfigureAwait(false);
                return await CompleteAsync(push, location.Text).ConfigureAwait(false);

            case WeChatIntent.RunTurn run:
                await window.OpenAsync(openId, run.Trigger, now, stopping).ConfigureAwait(false);
                return await RunAsync(push, openId, run, started, budget, stopping).ConfigureAwait(false);

            default:
                throw new System.Diagnostics.UnreachableException($"Unknown WeChat intent {intent.GetType().Name}.");
        }
    }

    /// <summary>The key under which a follower's last numbered choices are kept.</summary>
    public static string ChoicesKey(string openId) => "wechat/choices/" + openId;

    /// <summary>The key under which a follower's last location is kept.</summary>
    public static string LocationKey(string openId) => "wechat/locations/" + openId;

    private async Task<WeChatAnswer> RunAsync(WeChatInbound push, string openId, WeChatIntent.RunTurn run, long started, TimeSpan budget, CancellationToken cancellationToken)
    {
        var activity = run.Activity;
        if (run.MayPickChoice && await ReadAsync<StoredChoice[]>(ChoicesKey(openId), cancellationToken).ConfigureAwait(false) is { Length: > 0 } choices
            && WeChatChoices.Pick(activity.Text, [.. choices.Select(c => c.Text)]) is { } picked)
        {
            // As if the button were pressed: its text, and its value when it carried one.
            activity.Text = picked;
            activity.Value = choices.First(c => c.Text == picked).Value;
        }

        // The turn belongs to the service, not to this request: WeChat hanging up must not cut it short.
        var turn = RunTurnAsync(activity, openId, lifetime.ApplicationStopping);
        var left = budget - System.Diagnostics.Stopwatch.GetElapsedTime(started);
        if (left > TimeSpan.Zero)
        {
            await Task.WhenAny(turn, Task.Delay(left, cancellationToken)).ConfigureAwait(false);
        }

        if (turn.IsCompletedSuccessfully)
        {
            var rendering = await sender.PlanAsync(openId, turn.Result, passiveSlot: true, cancellationToken).ConfigureAwait(false);
            var passive = rendering.Messages.Count > 0 ? rendering.Messages[0] : null;
            var rest = rendering.Messages.Skip(1).ToArray();
            var answer = await CompleteAsync(push, passive).ConfigureAwait(false);
            return rest.Length == 0 ? answer : answer with { ThenAsync = token => sender.SendRepliesAsync(openId, rest, token) };
        }

        LogSlowTurn(logger, push.DedupKey, budget.TotalMilliseconds);
        var success = await CompleteAsync(push, null).ConfigureAwait(false);
        return success with { ThenAsync = token => SendWhenReadyAsync(openId, turn, token) };
    }

    private async Task SendWhenReadyAsync(string openId, Task<IReadOnlyList<Activity>> turn, CancellationToken cancellationToken)
    {
        var replies = await turn.ConfigureAwait(false);
        var rendering = await sender.PlanAsync(openId, replies, passiveSlot: false, cancellationToken).ConfigureAwait(false);
        await sender.SendRepliesAsync(openId, rendering.Messages, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<Activity>> RunTurnAsync(Activity activity, string openId, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var replies = await adapter.ProcessActivityForRepliesAsync(activity, bot, cancellationToken).ConfigureAwait(false);
        var rendering = WeChatText.Render(replies);
        if (rendering.Choices.Count > 0)
        {
            var choices = rendering.Choices.Select((text, i) => new StoredChoice(text, i < rendering.ChoiceValues.Count ? rendering.ChoiceValues[i] : null)).ToArray();
            await WriteAsync(ChoicesKey(openId), choices, cancellationToken).ConfigureAwait(false);
        }
        else if (replies.Any(r => r.Type == ActivityTypes.Message))
        {
            // A reply without choices: an old number no longer means anything.
            await storage.DeleteAsync([ChoicesKey(openId)], cancellationToken).ConfigureAwait(false);
        }

        return replies;
    }

    private async Task<WeChatAnswer> CompleteAsync(WeChatInbound push, string? passive)
    {
        // Recorded whatever the request does meanwhile: a retry must find the answer.
        await pushes.CompleteAsync(push.DedupKey, passive ?? string.Empty, CancellationToken.None).ConfigureAwait(false);
        return new WeChatAnswer(passive);
    }

    /// <summary>A retry of a push still being handled: its answer if it comes within the budget, else "success".</summary>
    private async Task<string?> WaitForReplyAsync(string key, long started, TimeSpan budget, CancellationToken cancellationToken)
    {
        while (System.Diagnostics.Stopwatch.GetElapsedTime(started) + RetryPoll < budget)
        {
            await Task.Delay(RetryPoll, cancellationToken).ConfigureAwait(false);
            var claim = await pushes.ClaimAsync(key, cancellationToken).ConfigureAwait(false);
            if (claim.Reply is not null)
            {
                return claim.Reply;
            }
        }

        return null;
    }

    private static string? Passive(string? reply) => string.IsNullOrEmpty(reply) ? null : reply;

    private async Task<T?> ReadAsync<T>(string key, CancellationToken cancellationToken)
    {
        var items = await storage.ReadAsync([key], cancellationToken).ConfigureAwait(false);
        return items.TryGetValue(key, out var item) ? item.Value.Deserialize<T>(ProtocolJson.Options) : default;
    }

    private Task WriteAsync<T>(string key, T value, CancellationToken cancellationToken) =>
        storage.WriteAsync(new Dictionary<string, StoreItem> { [key] = new(JsonSerializer.SerializeToElement(value, ProtocolJson.Options), StoreItem.AnyETag) }, cancellationToken);

    /// <summary>A numbered choice as remembered between turns.</summary>
    private sealed record StoredChoice(string Text, JsonElement? Value);

    [LoggerMessage(Level = LogLevel.Information, Message = "WeChat retried push {Key}; answering from the first delivery.")]
    private static partial void LogRetry(ILogger logger, string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "The turn for WeChat push {Key} took longer than {Budget} ms; its reply follows as customer-service messages.")]
    private static partial void LogSlowTurn(ILogger logger, string key, double budget);
}

/// <summary>
/// What the push's HTTP response says: <see cref="Passive"/> as a text reply, or "success" when null; then, after the
/// response is sent, <see cref="ThenAsync"/> (the customer-service messages that follow).
/// </summary>
public sealed record WeChatAnswer(string? Passive)
{
    public static WeChatAnswer Success { get; } = new((string?)null);

    public Func<CancellationToken, Task>? ThenAsync { get; init; }
}
