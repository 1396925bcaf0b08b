using HotlineBot.BotFramework.Schema;

namespace HotlineBot.BotFramework.Dialogs;

/// <summary>An option the user can pick (as Bot Builder's Choice).</summary>
public class Choice
{
    public Choice()
    {
    }

    public Choice(string value) => Value = value;

    /// <summary>What the choice is, and what is returned when it is picked.</summary>
    public string Value { get; set; } = string.Empty;

    /// <summary>The button to show instead of the default imBack of <see cref="Value"/>.</summary>
    public CardAction? Action { get; set; }

    /// <summary>Other words that pick this choice.</summary>
    public List<string>? Synonyms { get; set; }
}

/// <summary>The choice the user picked (as Bot Builder's FoundChoice).</summary>
public class FoundChoice
{
    public string Value { get; set; } = string.Empty;

    /// <summary>The choice's position in the list, from 0.</summary>
    public int Index { get; set; }

    public float Score { get; set; }

    /// <summary>The value, synonym, title or number the user's words matched.</summary>
    public string? Synonym { get; set; }
}

/// <summary>How choices are shown with a prompt.</summary>
public enum ListStyle
{
    /// <summary>Not shown: the prompt's text lists them.</summary>
    None,

    /// <summary>The best the channel supports: suggested actions on the channels this bot serves.</summary>
    Auto,

    /// <summary>In the text, on one line: (1) A，(2) B.</summary>
    Inline,

    /// <summary>In the text, one numbered line each.</summary>
    List,

    /// <summary>Buttons that go away once pressed (imBack).</summary>
    SuggestedAction,

    /// <summary>A hero card with a button each.</summary>
    HeroCard,
}

/// <summary>How choices are written into the prompt's text (Inline and List styles).</summary>
public class ChoiceFactoryOptions
{
    public string InlineSeparator { get; set; } = "，";

    public string InlineOr { get; set; } = " 或 ";

    public string InlineOrMore { get; set; } = "，或 ";

    public bool IncludeNumbers { get; set; } = true;
}

/// <summary>Builds the message that offers choices (as Bot Builder's ChoiceFactory).</summary>
public static class ChoiceFactory
{
    public static Activity ForChannel(string? channelId, IList<Choice> choices, string? text = null, string? speak = null, ChoiceFactoryOptions? options = null) =>
        SuggestedAction(choices, text, speak);

    public static Activity SuggestedAction(IList<Choice> choices, string? text = null, string? speak = null)
    {
        ArgumentNullException.ThrowIfNull(choices);
        var activity = Activity.CreateMessageActivity(text);
        activity.Speak = speak;
        activity.SuggestedActions = new SuggestedActions { Actions = [.. choices.Select(ToAction)] };
        return activity;
    }

    public static Activity HeroCard(IList<Choice> choices, string? text = null, string? speak = null)
    {
        ArgumentNullException.ThrowIfNull(choices);
        var activity = Activity.CreateMessageActivity();
        activity.Speak = speak;
        activity.Attachments = [new HeroCard { Text = text, Buttons = [.. choices.Select(ToAction)] }.ToAttachment()];
        return activity;
    }

    public static Activity Inline(IList<Choice> choices, string? text = null, string? speak = null, ChoiceFactoryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(choices);
        options ??= new ChoiceFactoryOptions();
        var labels = choices.Select((c, i) => options.IncludeNumbers ? $"({i + 1}) {Title(c)}" : Title(c)).ToList();
        var joined = labels.Count switch
        {
            0 => string.Empty,
            1 => labels[0],
            2 => labels[0] + options.InlineOr + labels[1],
            _ => string.Join(options.InlineSeparator, labels.Take(labels.Count - 1)) + options.InlineOrMore + labels[^1],
        };
        var activity = Activity.CreateMessageActivity(string.IsNullOrEmpty(text) ? joined : $"{text} {joined}");
        activity.Speak = speak;
        return activity;
    }

    public static Activity List(IList<Choice> choices, string? text = null, string? speak = null, ChoiceFactoryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(choices);
        options ??= new ChoiceFactoryOptions();
        var lines = choices.Select((c, i) => options.IncludeNumbers ? $"   {i + 1}. {Title(c)}" : $"   - {Title(c)}");
        var list = string.Join("\n", lines);
        var activity = Activity.CreateMessageActivity(string.IsNullOrEmpty(text) ? list : $"{text}\n\n{list}");
        activity.Speak = speak;
        return activity;
    }

    public static IList<Choice> ToChoices(IEnumerable<string> choices)
    {
        ArgumentNullException.ThrowIfNull(choices);
        return [.. choices.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => new Choice(c))];
    }

    private static CardAction ToAction(Choice choice) => choice.Action ?? CardAction.ImBack(choice.Value, choice.Value);

    private static string Title(Choice choice) => choice.Action?.Title ?? choice.Value;
}
