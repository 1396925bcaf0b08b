namespace HotlineBot.Tests;

/// <summary>The real seed content, copied beside the test assembly by seeds/Seeds.targets.</summary>
internal static class TestSeeds
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "seeds");
}
