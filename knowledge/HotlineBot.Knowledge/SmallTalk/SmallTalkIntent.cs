namespace HotlineBot.Knowledge.SmallTalk;

/// <summary>Greetings, thanks, "who are you": matched strictly, before the policy search.</summary>
public sealed record SmallTalkIntent(string Intent, IReadOnlyList<string> Patterns, IReadOnlyList<string> Replies);
