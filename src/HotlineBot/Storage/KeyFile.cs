using System.Security.Cryptography;

namespace HotlineBot.Storage;

/// <summary>
/// A random signing key kept in a file under the data directory: generated on first use (mode 600 where the
/// platform has modes), then read, so what it signs survives a restart and every instance on that directory
/// agrees. Deleting the file invalidates everything signed with it.
/// </summary>
public static class KeyFile
{
    /// <summary>The shortest key accepted from a file: HMAC-SHA256 needs 256 bits.</summary>
    public const int MinBytes = 32;

    /// <summary>The key in <paramref name="path"/>, created with <paramref name="bytes"/> random bytes (base64) when the file does not exist.</summary>
    public static byte[] LoadOrCreate(string path, int bytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, MinBytes);
        path = Path.GetFullPath(path);
        if (!File.Exists(path))
        {
            if (Path.GetDirectoryName(path) is { Length: > 0 } directory)
            {
                Directory.CreateDirectory(directory);
            }

            var key = RandomNumberGenerator.GetBytes(bytes);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            try
            {
                using var writer = new StreamWriter(path, options);
                writer.Write(Convert.ToBase64String(key));
                return key;
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first: use theirs.
            }
        }

        return Decode(File.ReadAllText(path), path, "delete the file to generate a new one");
    }

    /// <summary>A stored key's bytes (base64); refuses one shorter than <see cref="MinBytes"/>, saying where it is kept and how to replace it.</summary>
    public static byte[] Decode(string text, string where, string remedy)
    {
        ArgumentNullException.ThrowIfNull(text);
        var stored = Convert.FromBase64String(text.Trim());
        if (stored.Length < MinBytes)
        {
            throw new InvalidOperationException($"The signing key in {where} is shorter than {MinBytes * 8} bits; {remedy}.");
        }

        return stored;
    }
}
