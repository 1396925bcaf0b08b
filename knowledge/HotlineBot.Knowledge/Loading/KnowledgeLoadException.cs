namespace HotlineBot.Knowledge.Loading;

/// <summary>A content file could not be read; the message names the file and line so an admin can fix it.</summary>
public sealed class KnowledgeLoadException : Exception
{
    public KnowledgeLoadException(string file, long line, string problem, Exception? inner = null)
        : base($"{file}:{line}: {problem}", inner)
    {
        File = file;
        Line = line;
        Problem = problem;
    }

    public KnowledgeLoadException()
    {
        File = string.Empty;
        Problem = string.Empty;
    }

    public KnowledgeLoadException(string message) : base(message)
    {
        File = string.Empty;
        Problem = message;
    }

    public KnowledgeLoadException(string message, Exception innerException) : base(message, innerException)
    {
        File = string.Empty;
        Problem = message;
    }

    public string File { get; }

    public long Line { get; }

    public string Problem { get; }
}
