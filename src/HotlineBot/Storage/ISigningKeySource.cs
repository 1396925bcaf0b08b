namespace HotlineBot.Storage;

/// <summary>
/// Where a random signing key is kept: loaded when it exists, generated once otherwise, so what it signs
/// survives a restart and every instance sharing the source agrees on one key.
/// </summary>
public interface ISigningKeySource
{
    /// <summary>The key, created with <paramref name="bytes"/> random bytes when there is none yet.</summary>
    byte[] LoadOrCreate(int bytes);
}

/// <summary>The key in a file under the data directory (<see cref="KeyFile"/>): one host, or instances sharing the directory.</summary>
public sealed class FileSigningKeySource : ISigningKeySource
{
    public FileSigningKeySource(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        FilePath = path;
    }

    public string FilePath { get; }

    public byte[] LoadOrCreate(int bytes) => KeyFile.LoadOrCreate(FilePath, bytes);
}
