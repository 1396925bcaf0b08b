using System.Text;
using HotlineBot.Cases;
using HotlineBot.Cases.Workflow;
using HotlineBot.Extensions;

namespace HotlineBot.Alerts;

/// <summary>What one group message says; every text is plain (escaped when rendered).</summary>
/// <param name="Title">What happened: 新工单, ….</param>
/// <param name="CaseId">The case number.</param>
/// <param name="Category">The category as the console labels it.</param>
/// <param name="Priority">The priority as the console labels it.</param>
/// <param name="MaskedPhone">The callback phone, masked (138****8000), or null.</param>
/// <param name="Note">The notification's own text (the deadline, the escalation), or null.</param>
/// <param name="Summary">What the case is about, in the worker's words (masked), or empty.</param>
/// <param name="Link">The console opened on the case, or null when the service's public address is not configured.</param>
public sealed record WeComAlert(string Title, string CaseId, string Category, string Priority, string? MaskedPhone, string? Note, string Summary, Uri? Link);

/// <summary>
/// Renders an alert as WeCom markdown: short, within the robot's 4096-byte limit, and safe from what workers
/// typed. User text cannot start a line (newlines become spaces), and the characters markdown or the robot's
/// <c>&lt;font&gt;</c> tags act on are replaced by their full-width forms, which read the same in Chinese text
/// (WeCom documents no escape character). Personal numbers are masked; the masked phone is shown as code, so
/// its stars stay stars.
/// </summary>
public static class WeComMarkdown
{
    /// <summary>The robot's limit for markdown content, in UTF-8 bytes.</summary>
    public const int MaxBytes = 4096;

    /// <summary>How much of the case's description the message quotes.</summary>
    public const int SummaryLength = 60;

    private const char Ellipsis = '…';

    /// <summary>The characters markdown (and the robot's tags) act on, and the full-width forms shown instead, position by position.</summary>
    private const string Significant = "\\*_`~#|![]()<>&\"";
    private const string FullWidthForms = "＼＊＿｀～＃｜！［］（）＜＞＆＂";

    /// <summary>The alert for a notification of <paramref name="kind"/> about <paramref name="hotlineCase"/> as it is now.</summary>
    public static WeComAlert Alert(HotlineCase hotlineCase, string kind, string? text, Uri? link)
    {
        ArgumentNullException.ThrowIfNull(hotlineCase);
        var title = kind switch
        {
            WeComAlertNotifier.NewCase => "新工单",
            WeComAlertNotifier.Deadline => "工单临近首次响应时限",
            WeComAlertNotifier.Escalated => "工单超时未认领，已升级",
            _ => "工单提醒",
        };
        return new WeComAlert(
            title,
            hotlineCase.Id,
            CaseStatuses.CategoryLabel(hotlineCase.Category),
            CaseMessages.PriorityLabel(hotlineCase.Priority),
            hotlineCase.Worker.MaskedPhone,
            kind == WeComAlertNotifier.NewCase || string.IsNullOrWhiteSpace(text) ? null : PersonalData.Mask(text),
            PersonalData.Mask(hotlineCase.Description),
            link);
    }

    /// <summary>The markdown content; at most <see cref="MaxBytes"/> UTF-8 bytes (the summary, then the note, are shortened to fit).</summary>
    public static string Render(WeComAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var summary = Shorten(Plain(alert.Summary), SummaryLength);
        var note = alert.Note is null ? null : Plain(alert.Note);
        var content = Compose(alert, summary, note);
        if (Over(content) > 0)
        {
            summary = Fit(summary, Encoding.UTF8.GetByteCount(summary) - Over(content));
            content = Compose(alert, summary, note);
        }

        if (Over(content) > 0 && note is not null)
        {
            note = Fit(note, Encoding.UTF8.GetByteCount(note) - Over(content));
            content = Compose(alert, summary, note);
        }

        return Over(content) > 0 ? Fit(content, MaxBytes) : content;
    }

    /// <summary>User text as one inert line: no line breaks or control characters, markdown's characters in full width.</summary>
    public static string Plain(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsControl(c) || c is '\u2028' or '\u2029')
            {
                if (builder.Length > 0 && builder[^1] != ' ')
                {
                    builder.Append(' ');
                }
            }
            else
            {
                var index = Significant.IndexOf(c, StringComparison.Ordinal);
                builder.Append(index < 0 ? c : FullWidthForms[index]);
            }
        }

        return builder.ToString().Trim();
    }

    private static int Over(string content) => Encoding.UTF8.GetByteCount(content) - MaxBytes;

    private static string Compose(WeComAlert alert, string summary, string? note)
    {
        var builder = new StringBuilder()
            .Append("**").Append(Plain(alert.Title)).Append("** ").Append(Plain(alert.CaseId)).Append('\n');
        if (!string.IsNullOrEmpty(note))
        {
            builder.Append(note).Append('\n');
        }

        builder
            .Append("> 类别：").Append(Plain(alert.Category)).Append('\n')
            .Append("> 优先级：**").Append(Plain(alert.Priority)).Append("**\n")
            .Append("> 回电号码：").Append(alert.MaskedPhone is { Length: > 0 } phone ? $"`{phone.Replace("`", string.Empty, StringComparison.Ordinal)}`" : "未留").Append('\n');
        if (summary.Length > 0)
        {
            builder.Append("> 摘要：").Append(summary).Append('\n');
        }

        return (alert.Link is null
            ? builder.Append("请在话务台（").Append(OperatorConsoleExtensions.BasePath).Append("）打开工单 ").Append(Plain(alert.CaseId))
            : builder.Append("[在话务台打开工单](").Append(alert.Link.AbsoluteUri).Append(')')).ToString();
    }

    private static string Shorten(string text, int length)
    {
        var elements = new System.Globalization.StringInfo(text);
        return elements.LengthInTextElements <= length ? text : elements.SubstringByTextElements(0, length) + Ellipsis;
    }

    /// <summary>The longest start of <paramref name="text"/> (whole characters) that, with an ellipsis, is at most <paramref name="maxBytes"/> bytes.</summary>
    private static string Fit(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }

        var budget = maxBytes - Encoding.UTF8.GetByteCount([Ellipsis]);
        var builder = new StringBuilder();
        var used = 0;
        var elements = System.Globalization.StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            var element = elements.GetTextElement();
            used += Encoding.UTF8.GetByteCount(element);
            if (used > budget)
            {
                break;
            }

            builder.Append(element);
        }

        return budget <= 0 ? string.Empty : builder.Append(Ellipsis).ToString();
    }
}
