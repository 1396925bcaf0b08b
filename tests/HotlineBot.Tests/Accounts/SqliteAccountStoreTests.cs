using HotlineBot.Accounts;
using HotlineBot.Tests.Integration;

namespace HotlineBot.Tests.Accounts;

/// <summary>The account contract on a real SQLite file; another instance opens the same file.</summary>
public sealed class SqliteAccountStoreTests : AccountStoreContractTests, IDisposable
{
    private readonly string _dataDirectory = TempDataDirectory.Create();
    private readonly List<SqliteAccountStore> _opened = [];

    private string FilePath => Path.Combine(_dataDirectory, "accounts.db");

    public void Dispose()
    {
        _opened.ForEach(store => store.Dispose());
        TempDataDirectory.Delete(_dataDirectory);
    }

    protected override IAccountStore CreateStore() => Open();

    protected override IAccountStore OpenAnotherInstance() => Open();

    private SqliteAccountStore Open()
    {
        var store = new SqliteAccountStore(FilePath);
        _opened.Add(store);
        return store;
    }
}
