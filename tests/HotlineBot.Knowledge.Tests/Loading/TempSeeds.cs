using System.Text;

namespace HotlineBot.Knowledge.Tests.Loading;

/// <summary>A fresh seeds directory under the temp folder; deleted again on dispose.</summary>
internal sealed class TempSeeds : IDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public TempSeeds()
    {
        Root = Path.Combine(Path.GetTempPath(), "hotlinebot-tests", Guid.NewGuid().ToString("N"));
        SeedsDirectory = Path.Combine(Root, "seeds");
        Directory.CreateDirectory(Path.Combine(SeedsDirectory, "knowledge"));
    }

    public string Root { get; }

    public string SeedsDirectory { get; }

    /// <summary>How errors name a knowledge file: relative to the seeds directory's parent.</summary>
    public static string DisplayName(string category) => Path.Combine("seeds", "knowledge", category + ".yaml");

    public string WriteKnowledge(string category, string yaml) => Write(Path.Combine("knowledge", category + ".yaml"), yaml);

    public string Write(string relativePath, string text)
    {
        var path = Path.Combine(SeedsDirectory, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text, Utf8);
        return path;
    }

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    /// <summary>The 1-based line of the first line holding <paramref name="marker"/>.</summary>
    public static int LineOf(string text, string marker)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var index = Array.FindIndex(lines, l => l.Contains(marker, StringComparison.Ordinal));
        return index >= 0 ? index + 1 : throw new ArgumentException($"'{marker}' is not in the text", nameof(marker));
    }
}
