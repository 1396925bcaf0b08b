using System.Globalization;
using System.Text.Json;
using HotlineBot.BotFramework.Connector;
using HotlineBot.BotFramework.Schema;
using HotlineBot.WeChat.Api;
using HotlineBot.WeChat.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotlineBot.WeChat.Channel;

/// <summary>
/// Sends text to a follower through the customer-service (客服) API, inside WeChat's quota: every message is reserved
/// in the <see cref="IWeChatSendWindow"/> first, and an answer longer than the quota allows is cut to fit (the last
/// part says so). Nothing is sent twice: a send that timed out may have arrived, so it is never repeated; a send WeChat
/// refused is given back to the quota. Outside the 48-hour window a configured template message tells the follower
/// instead; without one, a proactive message is reported undeliverable so the case shows it.
/// </summary>
public sealed partial class WeChatSender(
    WeChatApiClient api,
    IWeChatSendWindow window,
    IOptions<WeChatOptions> options,
    TimeProvider time,
    ILogger<WeChatSender> logger)
{
    /// <summary>The codes that mean "this follower cannot get a customer-service message now", whatever is tried.</summary>
    private static readonly HashSet<int> OutOfReach =
    [
        WeChatApiException.OutOfResponseWindow,
        WeChatApiException.OutOfResponseCount,
        WeChatApiException.RequireSubscribe,
        WeChatApiException.InvalidOpenId,
    ];

    /// <summary>
    /// The messages for <paramref name="activities"/>: the first one for the passive reply when <paramref name="passiveSlot"/>
    /// (it costs no quota), the rest reserved in the quota; cut to what the quota grants.
    /// </summary>
    public async Task<WeChatRendering> PlanAsync(string openId, IReadOnlyList<Activity> activities, bool passiveSlot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activities);
        var rendering = WeChatText.Render(activities);
        var free = passiveSlot ? 1 : 0;
        var wanted = rendering.Messages.Count - free;
        if (wanted <= 0)
        {
            return rendering;
        }

        var granted = await window.ReserveAsync(openId, wanted, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (granted < wanted)
        {
            LogQuotaCut(logger, rendering.Messages.Count, free + granted);
            rendering = free + granted == 0 ? WeChatRendering.Empty : WeChatText.Render(activities, free + granted);
        }

        return rendering;
    }

    /// <summary>
    /// Sends reserved messages in order (a turn's reply after the passive part, or a slow turn's whole reply). Best
    /// effort: a failure is logged and ends the sending; what was refused is given back to the quota.
    /// </summary>
    public async Task SendRepliesAsync(string openId, IReadOnlyList<string> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        try
        {
            await SendReservedAsync(openId, messages, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WeChatApiException or HttpRequestException or ActivityUndeliverableException or TaskCanceledException)
        {
            LogReplyFailed(logger, e, Mask(openId));
        }
    }

    /// <summary>
    /// Delivers a proactive activity (an operator's reply, a follow-up). Throws <see cref="ActivityUndeliverableException"/>
    /// when WeChat will not take it now and no template could tell the follower, or when a time-out leaves its fate
    /// unknown; <see cref="HttpRequestException"/> when WeChat could not be reached (trying later is safe).
    /// </summary>
    public async Task DeliverAsync(string openId, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var rendering = await PlanAsync(openId, [activity], passiveSlot: false, cancellationToken).ConfigureAwait(false);
        if (rendering.IsEmpty && WeChatText.Render([activity]).IsEmpty)
        {
            return;
        }

        try
        {
            if (rendering.IsEmpty)
            {
                throw new WeChatApiException(WeChatApiException.OutOfResponseCount, "quota used up before sending");
            }

            await SendReservedAsync(openId, rendering.Messages, cancellationToken).ConfigureAwait(false);
        }
        catch (WeChatApiException e) when (OutOfReach.Contains(e.ErrorCode))
        {
            await NotifyByTemplateAsync(openId, activity, e, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SendReservedAsync(string openId, IReadOnlyList<string> messages, CancellationToken cancellationToken)
    {
        for (var i = 0; i < messages.Count; i++)
        {
            try
            {
                await api.SendCustomTextAsync(openId, messages[i], cancellationToken).ConfigureAwait(false);
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                // Timed out: WeChat may have shown it. Sending again could show it twice, so the rest stays unsent.
                throw new ActivityUndeliverableException(i == 0
                    ? "发送微信客服消息超时，微信未确认是否送达；为免重复不再自动重发，请电话回访确认。"
                    : "消息较长，后半部分发送超时，微信未确认是否送达；为免重复不再自动重发，请电话回访确认。", e);
            }
            catch (Exception e) when (e is WeChatApiException or HttpRequestException)
            {
                // Refused (or never reached WeChat): this part and the rest were not shown; give their quota back.
                await window.ReleaseAsync(openId, messages.Count - i, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
                if (i > 0)
                {
                    // The follower has the beginning; sending it all again would repeat it.
                    LogPartlySent(logger, e, i, messages.Count, Mask(openId));
                    return;
                }

                throw;
            }
        }
    }

    private async Task NotifyByTemplateAsync(string openId, Activity activity, WeChatApiException refused, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var reason = refused.ErrorCode switch
        {
            WeChatApiException.OutOfResponseWindow => "职工超过48小时没有在公众号发消息（或已取消关注），微信不允许再发客服消息",
            WeChatApiException.OutOfResponseCount => "职工48小时内没有再发消息，客服消息已达微信允许的条数上限",
            _ => "职工已取消关注公众号或账号无效",
        };
        if (string.IsNullOrWhiteSpace(settings.TemplateId) || refused.ErrorCode is WeChatApiException.RequireSubscribe or WeChatApiException.InvalidOpenId)
        {
            throw new ActivityUndeliverableException($"{reason}（errcode {refused.ErrorCode}）；请电话回访。", refused);
        }

        try
        {
            await api.SendTemplateAsync(openId, settings.TemplateId, url: null, TemplateData(settings, activity), cancellationToken).ConfigureAwait(false);
            LogTemplateSent(logger, refused.ErrorCode, Mask(openId));
        }
        catch (WeChatApiException e)
        {
            throw new ActivityUndeliverableException($"{reason}（errcode {refused.ErrorCode}），模板消息也未发出（errcode {e.ErrorCode}）；请电话回访。", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ActivityUndeliverableException($"{reason}（errcode {refused.ErrorCode}），模板消息发送超时、是否送达未知；请电话回访确认。", e);
        }
    }

    /// <summary>
    /// The template's fields with their placeholders filled: <c>{text}</c> (the message as plain text), <c>{summary}</c>
    /// (its first 20 characters, the limit of a template "thing" field), <c>{time}</c> (now, yyyy-MM-dd HH:mm UTC+8) and
    /// any <c>{name}</c> that is a property of an object in the activity's channelData (for example <c>{caseId}</c>).
    /// </summary>
    internal Dictionary<string, string> TemplateData(WeChatOptions settings, Activity activity)
    {
        var text = string.Join("\n", WeChatText.Render([activity]).Messages);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["text"] = text,
            ["summary"] = text.Length <= 20 ? text : string.Concat(text.AsSpan(0, 19), "…"),
            ["time"] = time.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        };
        if (activity.ChannelData is { ValueKind: JsonValueKind.Object } data)
        {
            foreach (var section in data.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Object))
            {
                foreach (var field in section.Value.EnumerateObject().Where(f => f.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number))
                {
                    values.TryAdd(field.Name, field.Value.ToString());
                }
            }
        }

        return settings.TemplateFields.ToDictionary(
            f => f.Key,
            f => values.Aggregate(f.Value, (filled, v) => filled.Replace("{" + v.Key + "}", v.Value, StringComparison.Ordinal)),
            StringComparer.Ordinal);
    }

    /// <summary>An OpenID in logs: its first and last four characters.</summary>
    internal static string Mask(string openId) => openId.Length <= 8 ? "****" : string.Concat(openId.AsSpan(0, 4), "****", openId.AsSpan(openId.Length - 4));

    [LoggerMessage(Level = LogLevel.Information, Message = "A WeChat reply of {Wanted} messages was cut to {Granted} to stay inside the customer-service quota.")]
    private static partial void LogQuotaCut(ILogger logger, int wanted, int granted);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send a reply to WeChat follower {OpenId}.")]
    private static partial void LogReplyFailed(ILogger logger, Exception exception, string openId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sent {Sent} of {Count} parts to WeChat follower {OpenId}; the rest was refused and is not repeated.")]
    private static partial void LogPartlySent(ILogger logger, Exception exception, int sent, int count, string openId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Customer-service message refused (errcode {ErrorCode}); told WeChat follower {OpenId} by template instead.")]
    private static partial void LogTemplateSent(ILogger logger, int errorCode, string openId);
}
