using System.Text.Json;

namespace HotlineBot.Knowledge.Evaluation;

/// <summary>Reads a JSON-lines cases file; a bad line throws <see cref="EvalFileException"/> naming it.</summary>
public static class EvalCaseReader
{
    public static IReadOnlyList<EvalCase> Read(string path)
    {
        var cases = new List<EvalCase>();
        var line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            EvalCase? parsed;
            try
            {
                parsed = JsonSerializer.Deserialize<EvalCase>(text);
            }
            catch (JsonException e)
            {
                throw new EvalFileException($"{path}:{line}: not a JSON case: {e.Message}", e);
            }

            if (parsed is null || string.IsNullOrWhiteSpace(parsed.Id) || string.IsNullOrWhiteSpace(parsed.Kind) || parsed.Question is null)
            {
                throw new EvalFileException($"{path}:{line}: a case needs \"id\", \"kind\" and \"q\"");
            }

            cases.Add(parsed);
        }

        return cases;
    }
}

/// <summary>A cases file that cannot be read.</summary>
public sealed class EvalFileException : Exception
{
    public EvalFileException()
    {
    }

    public EvalFileException(string message) : base(message)
    {
    }

    public EvalFileException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
