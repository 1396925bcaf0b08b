using HotlineBot.Extensions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests;

/// <summary>The host's services (knowledge base, cases and bot; nothing started) over the real seeds, built once per test class that uses it.</summary>
public sealed class KnowledgeServicesFixture : IDisposable
{
    public KnowledgeServicesFixture()
    {
        TempDirectory = Path.Combine(Path.GetTempPath(), "hotlinebot-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(TempDirectory);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Hotline:SeedsDirectory"] = TestSeeds.Directory,
                ["Hotline:DataDirectory"] = Path.Combine(TempDirectory, "data"),
            })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddKnowledge();
        services.AddCases();
        services.AddBot();
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    public ServiceProvider Services { get; }

    /// <summary>A fresh folder for the test's own files; deleted with the fixture.</summary>
    public string TempDirectory { get; }

    public void Dispose()
    {
        Services.Dispose();
        Directory.Delete(TempDirectory, recursive: true);
    }
}
