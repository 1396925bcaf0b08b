using HotlineBot.Tests.Integration;

namespace HotlineBot.Tests.DirectLine;

/// <summary>One real host for the Direct Line protocol tests: a configured secret, and small pages so paging is exercised.</summary>
public sealed class DirectLineHostFixture : IAsyncLifetime
{
    public const string Secret = "directline-test-secret-0123456789abcdef";
    public const int PageSize = 3;

    private HotlineHost? _host;

    public string DataDirectory { get; } = TempDataDirectory.Create();

    public HotlineHost Host => _host ?? throw new InvalidOperationException("The host has not been started.");

    public async ValueTask InitializeAsync() => _host = await HotlineHost.StartAsync(DataDirectory, new Dictionary<string, string?>
    {
        ["Hotline:DirectLine:Secret"] = Secret,
        ["Hotline:DirectLine:PageSize"] = PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        TempDataDirectory.Delete(DataDirectory);
    }
}
