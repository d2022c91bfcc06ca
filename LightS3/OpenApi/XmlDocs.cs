using System.Collections.Concurrent;
using System.Xml.Linq;

namespace LightS3.OpenApi;

/// <summary>Reads the <c>&lt;summary&gt;</c> of a type from its assembly's XML documentation file, when it ships one.</summary>
internal static class XmlDocs
{
    private static readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> Files = new(StringComparer.Ordinal);

    /// <summary>The summary of <paramref name="type"/>, whitespace collapsed; null when there is none.</summary>
    public static string? Summary(Type? type)
    {
        if (type is null || string.IsNullOrEmpty(type.Assembly.Location)) return null;
        var summaries = Files.GetOrAdd(Path.ChangeExtension(type.Assembly.Location, ".xml"), Load);
        return summaries.GetValueOrDefault("T:" + type.FullName?.Replace('+', '.'));
    }

    private static IReadOnlyDictionary<string, string> Load(string path)
    {
        try
        {
            if (!File.Exists(path)) return new Dictionary<string, string>();
            return XDocument.Load(path).Descendants("member")
                .Where(m => ((string?)m.Attribute("name"))?.StartsWith("T:", StringComparison.Ordinal) == true && m.Element("summary") is not null)
                .GroupBy(m => (string)m.Attribute("name")!)
                .ToDictionary(g => g.Key, g => string.Join(" ", g.First().Element("summary")!.Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)), StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or System.Xml.XmlException or UnauthorizedAccessException)
        {
            return new Dictionary<string, string>();
        }
    }
}
