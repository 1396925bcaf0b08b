namespace HotlineBot.Testing;

/// <summary>
/// A store's SQLite file in a temporary directory, removed after the test with every store opened on it
/// (compiled into each test project that tests a SQLite store).
/// </summary>
/// <param name="fileName">The file's name under the directory's <c>data</c> folder.</param>
/// <param name="open">Opens a store on the file, as a freshly started host would.</param>
public sealed class TemporaryDatabase<TStore>(string fileName, Func<string, TimeProvider, TStore> open) : IDisposable
    where TStore : IDisposable
{
    private readonly List<TStore> _opened = [];

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "hotlinebot-tests", Guid.NewGuid().ToString("n"));

    /// <summary>Not created yet: the store makes the directory and the file on first use.</summary>
    public string FilePath => Path.Combine(Directory, "data", fileName);

    /// <summary>A store on the file, on the system clock.</summary>
    public TStore Open() => Open(TimeProvider.System);

    public TStore Open(TimeProvider clock)
    {
        var store = open(FilePath, clock);
        _opened.Add(store);
        return store;
    }

    public void Dispose()
    {
        foreach (var store in _opened)
        {
            store.Dispose();
        }

        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
