namespace HotlineBot.Dialogs.Replies;

/// <summary>The values of <c>channelData.hotline.kind</c> (design.md, "Reply metadata").</summary>
public static class ReplyKinds
{
    /// <summary>An answer from the knowledge base.</summary>
    public const string Answer = "answer";

    /// <summary>Did-you-mean choices.</summary>
    public const string Clarify = "clarify";

    /// <summary>No confident answer; offers a person.</summary>
    public const string Fallback = "fallback";

    /// <summary>Every turn of the handoff dialog.</summary>
    public const string Handoff = "handoff";

    /// <summary>Danger: emergency numbers first.</summary>
    public const string Emergency = "emergency";

    /// <summary>Small talk, the welcome included.</summary>
    public const string SmallTalk = "smalltalk";

    /// <summary>Any other dialog asking for something.</summary>
    public const string Prompt = "prompt";

    /// <summary>Case progress.</summary>
    public const string Status = "status";

    /// <summary>A human operator's words.</summary>
    public const string Operator = "operator";

    /// <summary>The satisfaction question after a case is resolved.</summary>
    public const string Survey = "survey";

    /// <summary>Every kind, for validation.</summary>
    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        Answer, Clarify, Fallback, Handoff, Emergency, SmallTalk, Prompt, Status, Operator, Survey,
    };
}
