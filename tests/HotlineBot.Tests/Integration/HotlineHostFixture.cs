namespace HotlineBot.Tests.Integration;

/// <summary>One real host per test class, with its own temporary data directory (deleted afterwards).</summary>
public sealed class HotlineHostFixture : IAsyncLifetime
{
    private HotlineHost? _host;

    public string DataDirectory { get; } = TempDataDirectory.Create();

    public HotlineHost Host => _host ?? throw new InvalidOperationException("The host has not been started.");

    public async ValueTask InitializeAsync() => _host = await HotlineHost.StartAsync(DataDirectory, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        TempDataDirectory.Delete(DataDirectory);
    }
}

/// <summary>Fresh data directories under the system temp folder.</summary>
internal static class TempDataDirectory
{
    public static string Create()
    {
        var path = Path.Combine(Path.GetTempPath(), "hotlinebot-tests", "host-" + Guid.NewGuid().ToString("N"), "data");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Deletes the directory's parent folder; best effort, since a pooled SQLite connection may still hold a file.</summary>
    public static void Delete(string dataDirectory)
    {
        try
        {
            Directory.Delete(Path.GetDirectoryName(dataDirectory)!, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
