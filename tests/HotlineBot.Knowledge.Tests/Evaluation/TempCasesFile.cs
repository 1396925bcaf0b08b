using System.Text;

namespace HotlineBot.Knowledge.Tests.Evaluation;

/// <summary>A cases file in a fresh temp folder, deleted on dispose.</summary>
internal sealed class TempCasesFile : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "hotlinebot-tests", Guid.NewGuid().ToString("N"));

    public TempCasesFile(params string[] lines)
    {
        Directory.CreateDirectory(_directory);
        FilePath = Path.Combine(_directory, "cases.jsonl");
        File.WriteAllText(FilePath, string.Join('\n', lines) + "\n", new UTF8Encoding(false));
    }

    public string FilePath { get; }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
