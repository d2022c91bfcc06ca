using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using LightS3.Tests.Support;

namespace LightS3.Tests.Http;

/// <summary>
/// Malformed HTTP sent over a raw TCP connection. Those Kestrel only notices once the request reaches the pipeline
/// (body framing, body size, unknown methods) answer problem+json with a <c>detail</c>; those Kestrel rejects while
/// parsing the request line and headers (bad request line, NUL in the path, 414, 431) are written by Kestrel itself
/// before any middleware runs, with an empty body — pinned here so docs/http.md stays true.
/// </summary>
public sealed class MalformedRequestTests
{
    private TestApp _app = null!;

    [OneTimeSetUp]
    public async Task Start() => _app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<BookEndpoint>("/books"), o => o.MaxBodyBytes = 1024, socket: true);

    [OneTimeTearDown]
    public async Task Stop() => await _app.DisposeAsync();

    private sealed record RawResponse(int Status, string Head, string Body)
    {
        public string? ContentType => Head.Split("\r\n").FirstOrDefault(h => h.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase))?[13..].Trim();
    }

    /// <summary>Sends <paramref name="request"/> as bytes and reads until the server closes (every case here closes).</summary>
    private async Task<RawResponse> SendRawAsync(byte[] request)
    {
        var uri = _app.Client.BaseAddress!;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(uri.Host, uri.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(request);
        using var received = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[8192];
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, timeout.Token)) > 0) received.Write(buffer, 0, n);
        }
        catch (IOException)
        {
            // a reset after the response (the server refused to read the rest of our body): keep what came
        }
        var text = Encoding.UTF8.GetString(received.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.That(split, Is.GreaterThan(0), $"no HTTP response: '{text}'");
        var head = text[..split];
        var body = text[(split + 4)..];
        if (head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase)) body = Dechunk(body);
        return new RawResponse(int.Parse(head.Split(' ')[1]), head, body);
    }

    private static string Dechunk(string body)
    {
        var result = new StringBuilder();
        var at = 0;
        while (true)
        {
            var eol = body.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = Convert.ToInt32(body[at..eol], 16);
            if (size == 0) return result.ToString();
            result.Append(body, eol + 2, size);
            at = eol + 2 + size + 2;
        }
    }

    private static byte[] Ascii(string s) => Encoding.Latin1.GetBytes(s);

    private static void AssertProblem(RawResponse response, int status, string detailContains)
    {
        Assert.That(response.Status, Is.EqualTo(status), response.Head);
        Assert.That(response.ContentType, Does.StartWith("application/problem+json"), response.Head);
        var problem = JsonNode.Parse(response.Body)!.AsObject();
        Assert.That(problem["status"]!.GetValue<int>(), Is.EqualTo(status));
        Assert.That(problem["detail"]?.GetValue<string>(), Does.Contain(detailContains), response.Body);
    }

    [Test]
    public async Task A_malformed_chunked_body_is_a_400_problem_with_a_detail()
    {
        var response = await SendRawAsync(Ascii("POST /books HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"));
        AssertProblem(response, 400, "chunk");
    }

    [Test]
    public async Task A_declared_content_length_over_the_limit_is_a_413_problem_with_a_detail()
    {
        var response = await SendRawAsync(Ascii("POST /books HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\nConnection: close\r\n\r\n{\"title\":"));
        AssertProblem(response, 413, "1024 bytes");
    }

    [Test]
    public async Task A_chunked_body_growing_over_the_limit_is_a_413_problem_with_a_detail()
    {
        var chunk = new string(' ', 2000);
        var response = await SendRawAsync(Ascii($"POST /books HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{chunk.Length:x}\r\n{chunk}\r\n0\r\n\r\n"));
        AssertProblem(response, 413, "1024 bytes");
    }

    [Test]
    public async Task An_unknown_method_reaches_the_pipeline_and_is_a_405_problem()
    {
        var response = await SendRawAsync(Ascii("FOO /books HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        Assert.That(response.Status, Is.EqualTo(405));
        Assert.That(response.ContentType, Does.StartWith("application/problem+json"));
        Assert.That(response.Head, Does.Contain("Allow: "));
        Assert.That(JsonNode.Parse(response.Body)!["detail"]!.GetValue<string>(), Does.StartWith("method FOO is not allowed here; allowed: "));
    }

    [Test]
    public async Task An_unmatched_path_is_a_404_problem_with_a_detail()
    {
        var response = await SendRawAsync(Ascii("GET /nothing/here HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        AssertProblem(response, 404, "not found");
    }

    [TestCase("GET /books/\0 HTTP/1.1\r\nHost: x\r\n\r\n", 400, TestName = "A raw NUL in the path is rejected by Kestrel with an empty 400")]
    [TestCase("GET /books/%00 HTTP/1.1\r\nHost: x\r\n\r\n", 400, TestName = "An encoded NUL in the path is rejected by Kestrel with an empty 400")]
    [TestCase("GET\r\n\r\n", 400, TestName = "A bad request line is rejected by Kestrel with an empty 400")]
    [TestCase("GET /books HTTP/1.1\r\n\r\n", 400, TestName = "A missing Host header is rejected by Kestrel with an empty 400")]
    [TestCase("POST /books HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", 400, TestName = "A non-numeric Content-Length is rejected by Kestrel with an empty 400")]
    [TestCase("POST /books HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 400, TestName = "A final transfer coding other than chunked is rejected by Kestrel with an empty 400")]
    [TestCase("GET /books HTTP/2.5\r\nHost: x\r\n\r\n", 505, TestName = "An unknown HTTP version is rejected by Kestrel with an empty 505")]
    [TestCase("URI", 414, TestName = "A request line over 8 KiB is rejected by Kestrel with an empty 414")]
    [TestCase("HEADERS", 431, TestName = "Headers over 32 KiB are rejected by Kestrel with an empty 431")]
    public async Task Kestrel_parse_time_rejections_never_reach_the_pipeline_and_have_empty_bodies(string request, int status)
    {
        request = request switch
        {
            "URI" => $"GET /books?q={new string('a', 9000)} HTTP/1.1\r\nHost: x\r\n\r\n",
            "HEADERS" => $"GET /books HTTP/1.1\r\nHost: x\r\nX-Big: {new string('a', 40_000)}\r\n\r\n",
            _ => request,
        };
        var before = _app.Counter.Snapshot().Total;
        var response = await SendRawAsync(Ascii(request));
        Assert.That(response.Status, Is.EqualTo(status), response.Head);
        Assert.That(response.Head, Does.Contain("Content-Length: 0").And.Contain("Connection: close"));
        Assert.That(response.Body, Is.Empty, "if this fails, ASP.NET Core now lets these reach the pipeline: give them problem bodies and update docs/http.md");
        Assert.That(_app.Counter.Snapshot().Total, Is.EqualTo(before));
    }
}
