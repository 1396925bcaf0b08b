using System.Security.Cryptography;
using System.Text;

namespace HotlineBot.Dialogs.TurnLogging;

/// <summary>Keeps people out of the turn records: users are counted by a one-way hash (numbers in text are masked by <see cref="Cases.PersonalData"/>).</summary>
public static class PersonalDataMasker
{
    /// <summary>A stable one-way id for a user on a channel (16 hex digits of SHA-256), so turns can be counted per user without raw ids.</summary>
    public static string HashUserId(string? channelId, string? userId)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{channelId}\n{userId}"));
        return Convert.ToHexStringLower(bytes.AsSpan(0, 8));
    }
}
