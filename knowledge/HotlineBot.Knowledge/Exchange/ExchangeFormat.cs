namespace HotlineBot.Knowledge.Exchange;

/// <summary>The file formats policy entries are exported and imported in.</summary>
public enum ExchangeFormat
{
    Yaml,
    Json,
    Csv,
}

public static class ExchangeFormats
{
    /// <summary>Reads <c>yaml</c>, <c>yml</c>, <c>json</c> or <c>csv</c> in any case, with or without a leading dot (a file extension).</summary>
    public static bool TryParse(string? text, out ExchangeFormat format)
    {
        switch (text?.Trim().TrimStart('.').ToUpperInvariant())
        {
            case "YAML" or "YML":
                format = ExchangeFormat.Yaml;
                return true;
            case "JSON":
                format = ExchangeFormat.Json;
                return true;
            case "CSV":
                format = ExchangeFormat.Csv;
                return true;
            default:
                format = default;
                return false;
        }
    }

    /// <exception cref="FormatException">The text names no format.</exception>
    public static ExchangeFormat Parse(string text) =>
        TryParse(text, out var format) ? format : throw new FormatException($"'{text}' is not an exchange format; use yaml, yml, json or csv.");

    /// <summary>The file extension without its dot.</summary>
    public static string FileExtension(this ExchangeFormat format) => format switch
    {
        ExchangeFormat.Yaml => "yaml",
        ExchangeFormat.Json => "json",
        ExchangeFormat.Csv => "csv",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown exchange format."),
    };

    /// <summary>The media type to send an export with (UTF-8 in every format).</summary>
    public static string MediaType(this ExchangeFormat format) => format switch
    {
        ExchangeFormat.Yaml => "application/yaml; charset=utf-8",
        ExchangeFormat.Json => "application/json; charset=utf-8",
        ExchangeFormat.Csv => "text/csv; charset=utf-8",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown exchange format."),
    };
}
