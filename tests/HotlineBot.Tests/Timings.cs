namespace HotlineBot.Tests;

/// <summary>Measured figures for the notes: never asserted, only reported.</summary>
internal static class Timings
{
    /// <summary>To the test output, and to the file <c>HOTLINE_TIMINGS_FILE</c> names.</summary>
    public static void Report(string line)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        if (Environment.GetEnvironmentVariable("HOTLINE_TIMINGS_FILE") is { Length: > 0 } file)
        {
            File.AppendAllText(file, line + Environment.NewLine);
        }
    }
}
