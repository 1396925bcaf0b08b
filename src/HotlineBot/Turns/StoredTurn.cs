using HotlineBot.Dialogs.TurnLogging;

namespace HotlineBot.Turns;

/// <summary>
/// A turn record as stored, with its id: rising in the order turns were recorded and the same on every read
/// (the inbox names questions by it), the row id embedded and the shared counter's number scaled out.
/// </summary>
public sealed record StoredTurn(long Id, TurnRecord Record);
