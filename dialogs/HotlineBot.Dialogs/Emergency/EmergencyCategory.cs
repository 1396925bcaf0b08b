namespace HotlineBot.Dialogs.Emergency;

/// <summary>
/// One kind of danger (seeds/emergency.yaml): the numbers to call, the reply's lines, and the words
/// that reveal it. <see cref="Always"/> cues match whatever else the message says; <see cref="Cues"/>
/// match unless the message also holds one of <see cref="Unless"/> or the file's shared unless list.
/// </summary>
/// <param name="Name">A stable identifier (violence-or-confinement, injury, fire, gas-leak, self-harm).</param>
/// <param name="Numbers">The numbers this danger calls for, most important first.</param>
/// <param name="Call">The reply's first line when this category leads: the numbers first.</param>
/// <param name="Also">The line added when this category matches beside a higher-priority one.</param>
/// <param name="Now">One line: what to do right now.</param>
/// <param name="Always">Acute danger happening now; never suppressed.</param>
/// <param name="Cues">Danger words that past events and policy questions share; suppressed by an unless phrase.</param>
/// <param name="Unless">Phrases that mark a cue's message as something else (辞职 for 不让走, 消防培训 for 着火).</param>
public sealed record EmergencyCategory(
    string Name,
    IReadOnlyList<string> Numbers,
    string Call,
    string Also,
    string Now,
    IReadOnlyList<string> Always,
    IReadOnlyList<string> Cues,
    IReadOnlyList<string> Unless);
