using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using HotlineBot.BotFramework.Schema;

namespace HotlineBot.WeChat.Channel;

/// <summary>
/// What one turn's (or one proactive) activities become in WeChat: the text messages to send, in order, and the
/// values the numbers 1..n stand for (empty when the reply offered no choices). WeChat text has no buttons, so a
/// worker picks a choice by replying its number (<see cref="WeChatChoices.Pick"/>).
/// </summary>
public sealed record WeChatRendering(IReadOnlyList<string> Messages, IReadOnlyList<string> Choices)
{
    public static WeChatRendering Empty { get; } = new([], []);

    public bool IsEmpty => Messages.Count == 0;

    /// <summary>
    /// Beside each of <see cref="Choices"/>, the structured value its button carried (a messageBack's
    /// <c>{feedback, entryId}</c>), or null: a picked number sends it along, as pressing the button would.
    /// </summary>
    public IReadOnlyList<JsonElement?> ChoiceValues { get; init; } = [];
}

/// <summary>
/// Turns the bot's activities into WeChat text: plain text without Markdown (a phone shows it literally), buttons as
/// numbered lines or <c>标题：url</c> lines, cut into messages that fit WeChat's per-message byte limit.
/// </summary>
public static partial class WeChatText
{
    /// <summary>The most UTF-8 bytes one text message (passive reply or customer-service message) may carry.</summary>
    public const int MaxMessageBytes = 2048;

    /// <summary>Ends the last message when the text needed more messages than may be sent.</summary>
    public const string TruncatedNote = "……（内容较长，未能全部发出；详情可拨打12351职工服务热线）";

    /// <summary>The line that introduces the numbered choices.</summary>
    public const string ChoicesHeader = "回复数字选择：";

    private const string ThumbnailCardContentType = "application/vnd.microsoft.card.thumbnail";

    // Marks a protected span (code, URL, escaped character) while emphasis is removed: private-use characters.
    private const char ProtectOpen = '\uE000';
    private const char ProtectClose = '\uE001';

    private static readonly string[] ChoiceActionTypes = [ActionTypes.ImBack, ActionTypes.PostBack, ActionTypes.MessageBack];

    /// <summary>
    /// Renders message activities (others — typing, trace, event such as handoff.initiate, endOfConversation — are
    /// skipped). All texts are joined (blank line between activities) and then split so that each message fits
    /// <see cref="MaxMessageBytes"/>. When more than <paramref name="maxMessages"/> messages would be needed, only
    /// <paramref name="maxMessages"/> are returned and the last one is cut to end with <see cref="TruncatedNote"/>;
    /// the choices are then those whose lines were sent.
    /// </summary>
    public static WeChatRendering Render(IEnumerable<Activity> activities, int maxMessages = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(activities);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        var blocks = new List<string>();
        var choices = new List<Choice>();
        foreach (var activity in activities)
        {
            if (activity is { Type: ActivityTypes.Message } && RenderActivity(activity, choices) is { Length: > 0 } block)
            {
                blocks.Add(block);
            }
        }

        if (blocks.Count == 0)
        {
            return WeChatRendering.Empty;
        }

        var text = string.Join("\n\n", blocks);
        var messages = Split(text);
        if (messages.Count <= maxMessages)
        {
            return new WeChatRendering(messages, [.. choices.Select(c => c.Value)]) { ChoiceValues = [.. choices.Select(c => c.Data)] };
        }

        var sent = Truncate(text, maxMessages);
        var shown = choices.Take(CountShown(sent, choices)).ToList();
        return new WeChatRendering(sent, [.. shown.Select(c => c.Value)]) { ChoiceValues = [.. shown.Select(c => c.Data)] };
    }

    /// <summary>Markdown to plain text as a phone shows it.</summary>
    public static string PlainText(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var lines = NormalizeNewlines(markdown).Split('\n');
        var output = new StringBuilder(markdown.Length);
        string? fence = null;
        foreach (var line in lines)
        {
            var fenceMatch = FencePattern().Match(line);
            if (fence is null && fenceMatch.Success)
            {
                fence = fenceMatch.Groups["fence"].Value;
                continue;
            }

            if (fence is not null)
            {
                if (fenceMatch.Success && fenceMatch.Groups["fence"].Value.StartsWith(fence, StringComparison.Ordinal) && fenceMatch.Groups["info"].Length == 0)
                {
                    fence = null;
                }
                else
                {
                    output.Append(line.TrimEnd()).Append('\n');
                }

                continue;
            }

            output.Append(PlainLine(line)).Append('\n');
        }

        return ExtraBlankLines().Replace(output.ToString(), "\n\n").Trim();
    }

    /// <summary>
    /// Splits at paragraph breaks, then line breaks, then after Chinese/Western sentence punctuation (。！？；!?;), then
    /// hard (never inside a UTF-16 surrogate pair), so every part is ≤ <paramref name="maxBytes"/> UTF-8 bytes; parts
    /// are trimmed, empty parts dropped. Each part is filled as far as the limit allows; a break is preferred in the
    /// part's second half, so a short heading does not become a message of its own.
    /// </summary>
    public static IReadOnlyList<string> Split(string text, int maxBytes = MaxMessageBytes)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 4);
        var parts = new List<string>();
        var start = 0;
        while (NextPart(text, ref start, maxBytes) is { } part)
        {
            parts.Add(part);
        }

        return parts;
    }

    private static List<string> Truncate(string text, int maxMessages)
    {
        var sent = new List<string>(maxMessages);
        var start = 0;
        while (sent.Count < maxMessages - 1 && NextPart(text, ref start, MaxMessageBytes) is { } part)
        {
            sent.Add(part);
        }

        var last = NextPart(text, ref start, MaxMessageBytes - Encoding.UTF8.GetByteCount(TruncatedNote)) ?? string.Empty;
        sent.Add(last + TruncatedNote);
        return sent;
    }

    /// <summary>How many choices (from the first) have their whole line in the messages sent.</summary>
    private static int CountShown(List<string> sent, List<Choice> choices)
    {
        var shown = "\n" + string.Join("\n", sent) + "\n";
        var count = 0;
        while (count < choices.Count && shown.Contains($"\n{ChoiceLine(count + 1, choices[count].Label)}\n", StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>One activity's text, its cards, then its buttons; numbered choices are added to <paramref name="choices"/>.</summary>
    private static string RenderActivity(Activity activity, List<Choice> choices)
    {
        var paragraphs = new List<string>();
        AddParagraph(paragraphs, FormatText(activity.Text, activity.TextFormat));
        var actions = new List<CardAction>();
        foreach (var attachment in activity.Attachments ?? [])
        {
            if (ReadCard(attachment) is { } card)
            {
                AddParagraph(paragraphs, string.Join('\n', new[] { card.Title, card.Subtitle, FormatText(card.Text, null) }.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!.Trim())));
                actions.AddRange(card.Buttons ?? []);
            }
        }

        actions.AddRange(activity.SuggestedActions?.Actions ?? []);
        var numbered = new List<string>();
        var selfNumbered = true;
        var links = new List<string>();
        foreach (var action in actions)
        {
            if (action is null)
            {
                continue;
            }

            if (ChoiceActionTypes.Contains(action.Type, StringComparer.OrdinalIgnoreCase))
            {
                if (ChoiceOf(action) is { } choice && !choices.Exists(c => c.Value == choice.Value))
                {
                    choices.Add(choice);
                    numbered.Add(ChoiceLine(choices.Count, choice.Label));
                    selfNumbered &= choice.Label == choices.Count.ToString(CultureInfo.InvariantCulture);
                }
            }
            else if (LinkLine(action) is { } link)
            {
                links.Add(link);
            }
        }

        if (numbered.Count > 0 && selfNumbered)
        {
            // Buttons that are their own numbers (a 1–5 score): the text already says to reply with the number; "1 1" would only repeat it.
            AddParagraph(paragraphs, string.Join('\n', links));
        }
        else if (numbered.Count > 0)
        {
            AddParagraph(paragraphs, string.Join('\n', [ChoicesHeader, .. numbered, .. links]));
        }
        else if (links.Count > 0)
        {
            AddParagraph(paragraphs, string.Join('\n', links));
        }

        return string.Join("\n\n", paragraphs);
    }

    private static void AddParagraph(List<string> paragraphs, string text)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            paragraphs.Add(text);
        }
    }

    private static string ChoiceLine(int number, string label) => string.Create(CultureInfo.InvariantCulture, $"{number} {label}");

    private static string FormatText(string? text, string? textFormat)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        // xml (the SSML-like format) is sent as it is; plain text is read as Markdown too, since it may still carry some.
        return string.Equals(textFormat, "xml", StringComparison.OrdinalIgnoreCase) ? NormalizeNewlines(text).Trim() : PlainText(text);
    }

    /// <summary>A hero or thumbnail card's fields; null for other attachments or content that is not a card.</summary>
    private static HeroCard? ReadCard(Attachment? attachment)
    {
        if (attachment?.Content is not { ValueKind: JsonValueKind.Object } content
            || !(string.Equals(attachment.ContentType, HeroCard.ContentType, StringComparison.OrdinalIgnoreCase)
                || string.Equals(attachment.ContentType, ThumbnailCardContentType, StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        try
        {
            return content.Deserialize<HeroCard>(ProtocolJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// What pressing the button would send as text, and what it shows. messageBack sends its <c>text</c> (its value
    /// rides beside it); imBack and postBack send their value.
    /// </summary>
    private static Choice? ChoiceOf(CardAction action)
    {
        var value = string.Equals(action.Type, ActionTypes.MessageBack, StringComparison.OrdinalIgnoreCase)
            ? FirstText(action.Text, action.DisplayText, StringValue(action.Value), action.Title)
            : FirstText(StringValue(action.Value), action.Title, action.Text);
        return value is null ? null : new Choice(value, OneLine(FirstText(action.Title, value)!), action.Value is { ValueKind: JsonValueKind.Object } data ? data.Clone() : null);
    }

    /// <summary><c>标题：url</c> for a button that opens something (a link, a phone number); just the title when it already shows the target.</summary>
    private static string? LinkLine(CardAction action)
    {
        var target = FirstText(StringValue(action.Value), action.Text);
        if (target is null)
        {
            return null;
        }

        if (target.StartsWith("tel:", StringComparison.OrdinalIgnoreCase))
        {
            target = target["tel:".Length..];
        }

        var title = FirstText(action.Title);
        return title is null || title.Contains(target, StringComparison.Ordinal) ? OneLine(title ?? target) : OneLine($"{title}：{target}");
    }

    private static string? StringValue(JsonElement? value) => value is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;

    private static string? FirstText(params ReadOnlySpan<string?> candidates)
    {
        foreach (var candidate in candidates)
        {
            if (!string.IsNullOrWhiteSpace(candidate))
            {
                return candidate.Trim();
            }
        }

        return null;
    }

    private static string OneLine(string text) => LineBreaks().Replace(text, " ");

    private static string NormalizeNewlines(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    /// <summary>One Markdown line outside code blocks, as plain text.</summary>
    private static string PlainLine(string line)
    {
        if (RulePattern().IsMatch(line))
        {
            return string.Empty;
        }

        var text = line.TrimEnd();
        text = BlockquotePattern().Replace(text, string.Empty);
        var heading = HeadingPattern().Match(text);
        if (heading.Success)
        {
            text = heading.Groups["text"].Value;
        }
        else
        {
            text = BulletPattern().Replace(text, "${indent}· ");
        }

        return Inline(text);
    }

    /// <summary>
    /// Inline Markdown: code spans, escapes and link targets are set aside first so that emphasis removal cannot
    /// touch them (an underscore in a URL, an asterisk in code), then put back.
    /// </summary>
    private static string Inline(string text)
    {
        var kept = new List<string>();
        string Keep(string literal)
        {
            kept.Add(literal);
            return string.Create(CultureInfo.InvariantCulture, $"{ProtectOpen}{kept.Count - 1}{ProtectClose}");
        }

        text = CodeSpanPattern().Replace(text, m => Keep(m.Groups["code"].Value.Trim()));
        text = EscapePattern().Replace(text, m => Keep(m.Groups["char"].Value));
        text = ImagePattern().Replace(text, m => m.Groups["alt"].Value);
        text = LinkPattern().Replace(text, m =>
        {
            var title = m.Groups["title"].Value;
            var url = m.Groups["url"].Value;
            return title == url || title.Length == 0 ? Keep(url) : $"{title}（{Keep(url)}）";
        });
        text = AutoLinkPattern().Replace(text, m => Keep(m.Groups["url"].Value));
        text = BareUrlPattern().Replace(text, m => Keep(m.Value));
        text = StrongPattern().Replace(text, "${text}");
        text = StrikePattern().Replace(text, "${text}");
        text = EmphasisPattern().Replace(text, "${text}");
        // A kept span may hold an earlier one (an escape inside a link target): put back until none is left.
        while (ProtectedPattern().IsMatch(text))
        {
            text = ProtectedPattern().Replace(text, m => kept[int.Parse(m.Groups["index"].Value, CultureInfo.InvariantCulture)]);
        }

        return text;
    }

    /// <summary>The next trimmed, non-empty part from <paramref name="start"/> of at most <paramref name="maxBytes"/>; null at the end.</summary>
    private static string? NextPart(string text, ref int start, int maxBytes)
    {
        while (true)
        {
            while (start < text.Length && char.IsWhiteSpace(text[start]))
            {
                start++;
            }

            if (start >= text.Length)
            {
                return null;
            }

            var end = FitEnd(text, start, maxBytes);
            var cut = end == text.Length ? end : BreakAt(text, start, end, maxBytes);
            var part = text[start..cut].Trim();
            start = cut;
            if (part.Length > 0)
            {
                return part;
            }
        }
    }

    /// <summary>The end (exclusive) of the longest run from <paramref name="start"/> that fits <paramref name="maxBytes"/> UTF-8 bytes without parting a surrogate pair.</summary>
    private static int FitEnd(string text, int start, int maxBytes)
    {
        var bytes = 0;
        var i = start;
        while (i < text.Length)
        {
            var size = Utf8Size(text, i, out var length);
            if (bytes + size > maxBytes)
            {
                break;
            }

            bytes += size;
            i += length;
        }

        return i;
    }

    /// <summary>The first index from <paramref name="start"/> (at most <paramref name="end"/>) where the run before it reaches <paramref name="minBytes"/> UTF-8 bytes.</summary>
    private static int IndexAtBytes(string text, int start, int end, int minBytes)
    {
        var bytes = 0;
        var i = start;
        while (i < end && bytes < minBytes)
        {
            bytes += Utf8Size(text, i, out var length);
            i += length;
        }

        return i;
    }

    /// <summary>The UTF-8 size of the character at <paramref name="i"/>, a surrogate pair counted whole (<paramref name="length"/> 2).</summary>
    private static int Utf8Size(string text, int i, out int length)
    {
        if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            length = 2;
            return 4;
        }

        length = 1;
        return text[i] switch
        {
            < '\u0080' => 1,
            < '\u0800' => 2,
            _ => 3,
        };
    }

    /// <summary>
    /// Where to end a part that must stop by <paramref name="end"/>: the last paragraph break, else line break, else
    /// sentence end — first looking only in the second half of the allowance, then anywhere — else at <paramref name="end"/>.
    /// </summary>
    private static int BreakAt(string text, int start, int end, int maxBytes)
    {
        int[] fills = [maxBytes / 2, 1];
        foreach (var fill in fills)
        {
            var earliest = IndexAtBytes(text, start, end, fill);
            var found = LastParagraphBreak(text, earliest, end) ?? LastLineBreak(text, earliest, end) ?? LastSentenceEnd(text, earliest, end);
            if (found is { } cut && cut > start)
            {
                return cut;
            }
        }

        return end;
    }

    private static int? LastParagraphBreak(string text, int earliest, int end)
    {
        for (var i = Math.Min(end, text.Length - 1); i > earliest; i--)
        {
            if (text[i] != '\n')
            {
                continue;
            }

            var j = i - 1;
            while (j > earliest && text[j] is ' ' or '\t')
            {
                j--;
            }

            if (text[j] == '\n')
            {
                return j;
            }
        }

        return null;
    }

    private static int? LastLineBreak(string text, int earliest, int end)
    {
        var last = Math.Min(end, text.Length - 1);
        var i = last > earliest ? text.LastIndexOf('\n', last, last - earliest) : -1;
        return i > earliest ? i : null;
    }

    private static int? LastSentenceEnd(string text, int earliest, int end)
    {
        for (var i = end - 1; i >= earliest; i--)
        {
            if (text[i] is '。' or '！' or '？' or '；' or '!' or '?' or ';')
            {
                // A closing quote or bracket stays with its sentence.
                var cut = i + 1;
                while (cut < end && text[cut] is '”' or '’' or '」' or '』' or '）' or ')' or '"' or '\'')
                {
                    cut++;
                }

                return cut;
            }
        }

        return null;
    }

    /// <summary>A numbered choice: the text it sends and the label shown beside its number.</summary>
    private sealed record Choice(string Value, string Label, JsonElement? Data);

    [GeneratedRegex(@"^\s{0,3}(?<fence>`{3,}|~{3,})\s*(?<info>[^`]*?)\s*$")]
    private static partial Regex FencePattern();

    [GeneratedRegex(@"^\s{0,3}([-*_])(\s*\1){2,}\s*$")]
    private static partial Regex RulePattern();

    [GeneratedRegex(@"^\s{0,3}(>\s?)+")]
    private static partial Regex BlockquotePattern();

    [GeneratedRegex(@"^\s{0,3}#{1,6}(?:\s+(?<text>.*?))??(?:\s+#+)?\s*$")]
    private static partial Regex HeadingPattern();

    [GeneratedRegex(@"^(?<indent>\s*)[-*+]\s+")]
    private static partial Regex BulletPattern();

    [GeneratedRegex(@"(?<ticks>`+)(?<code>.+?)\k<ticks>")]
    private static partial Regex CodeSpanPattern();

    [GeneratedRegex(@"\\(?<char>[\\`*_{}\[\]()#+\-.!|~<>])")]
    private static partial Regex EscapePattern();

    [GeneratedRegex(@"!\[(?<alt>[^\]]*)\]\([^)\s]*(?:\s+""[^""]*"")?\)")]
    private static partial Regex ImagePattern();

    [GeneratedRegex(@"\[(?<title>[^\]]*)\]\((?<url>[^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"<(?<url>(?:https?|mailto|tel):[^>\s]+)>", RegexOptions.IgnoreCase)]
    private static partial Regex AutoLinkPattern();

    [GeneratedRegex(@"https?://[^\s*（）<>，。；！？、\uE000\uE001]+", RegexOptions.IgnoreCase)]
    private static partial Regex BareUrlPattern();

    [GeneratedRegex(@"\*\*(?=\S)(?<text>.+?)(?<=\S)\*\*|(?<![A-Za-z0-9_])__(?=\S)(?<text>.+?)(?<=\S)__(?![A-Za-z0-9_])")]
    private static partial Regex StrongPattern();

    [GeneratedRegex(@"~~(?=\S)(?<text>.+?)(?<=\S)~~")]
    private static partial Regex StrikePattern();

    // Single * or _ only when not inside an ASCII word (snake_case, 5*8*2 stay); Chinese around it is fine.
    [GeneratedRegex(@"(?<![A-Za-z0-9*_])([*_])(?=[^\s*_])(?<text>.+?)(?<=[^\s*_])\1(?![A-Za-z0-9*_])")]
    private static partial Regex EmphasisPattern();

    [GeneratedRegex("\uE000(?<index>[0-9]+)\uE001")]
    private static partial Regex ProtectedPattern();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex ExtraBlankLines();

    [GeneratedRegex(@"\s*[\r\n]+\s*")]
    private static partial Regex LineBreaks();
}
