using HotlineBot.Dialogs.TurnLogging;

namespace HotlineBot.Turns;

/// <summary>A turn record as stored, with its row id (the order turns were recorded in).</summary>
public sealed record StoredTurn(long Id, TurnRecord Record);
