using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace LightS3.S3Api;

/// <summary>S3's XML: the 2006-03-01 namespace on results, parsing of request bodies with bounded size and no DTDs.</summary>
internal static class S3Xml
{
    public static readonly XNamespace Ns = "http://s3.amazonaws.com/doc/2006-03-01/";

    /// <summary>An element in S3's namespace, with children.</summary>
    public static XElement E(string name, params object?[] content) => new(Ns + name, content);

    public static async Task WriteAsync(HttpResponse response, XElement root, int status = 200)
    {
        response.StatusCode = status;
        response.ContentType = "application/xml";
        var bytes = Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + root.ToString(SaveOptions.DisableFormatting));
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes);
    }

    /// <summary>Parses a request body; anything not well-formed is <c>MalformedXML</c>.</summary>
    public static XElement Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var stream = new MemoryStream(body.ToArray());
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            return XElement.Load(reader);
        }
        catch (XmlException)
        {
            throw S3Exception.MalformedXml();
        }
    }

    /// <summary>The child named <paramref name="name"/> in any namespace (clients send the S3 namespace or none).</summary>
    public static IEnumerable<XElement> Children(XElement parent, string name) => parent.Elements().Where(e => e.Name.LocalName == name);

    public static string? Child(XElement parent, string name) => Children(parent, name).FirstOrDefault()?.Value;

    /// <summary>ISO 8601 as S3 writes it in XML.</summary>
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
