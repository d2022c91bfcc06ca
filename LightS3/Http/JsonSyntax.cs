using System.Text.Json;

namespace LightS3.Http;

/// <summary>
/// Describes a JSON syntax error in the client's terms — where it is (line, column, the path it was in) and what kind it
/// is — never with the parser's own message, which names .NET types and internals.
/// </summary>
internal static class JsonSyntax
{
    /// <summary>"malformed JSON at line 1, column 12 (in $.title): …".</summary>
    public static string Describe(JsonException e)
    {
        var at = e.LineNumber is { } line ? $" at line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}" : "";
        var path = e.Path is { Length: > 1 } p ? $" (in {p})" : "";
        return $"malformed JSON{at}{path}: {Kind(e.Message)}";
    }

    // the parser's message is matched on stable phrases only, to pick one of our own sentences
    private static string Kind(string message) =>
        Has(message, "maximum configured depth") ? "nested too deeply (at most 64 levels)"
        : Has(message, "duplicate") ? "a property name appears twice in one object"
        : Has(message, "after a single JSON value") ? "there is more text after the JSON value"
        : Has(message, "trailing comma") ? "a comma right before a closing bracket"
        : Has(message, "depth to be zero") || Has(message, "end of data") || Has(message, "does not contain any JSON tokens")
            ? "the text ends before the JSON value does"
        : "this is not valid JSON (check quotes, commas and brackets)";

    private static bool Has(string message, string phrase) => message.Contains(phrase, StringComparison.OrdinalIgnoreCase);
}
