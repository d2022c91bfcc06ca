using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LightS3.Bench;

/// <summary>
/// The baseline: what a developer would hand-write with Minimal APIs for the same two operations —
/// parse and check the JSON, PutObject (create-only) / GetObject, return JSON. No framework in between.
/// </summary>
public static class BaselineApi
{
    public sealed record Book(string? Id, string Title, string Author, decimal Price, bool InStock, long Version);

    public static WebApplication Build(string endpoint, string bucket, string prefix, Action countRequest)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var s3 = new AmazonS3Client(new BasicAWSCredentials(Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"), Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY")),
            new AmazonS3Config
            {
                ServiceURL = endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1",
                RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
                ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            });
        var app = builder.Build();
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

        app.MapPost("/books", async (HttpContext http) =>
        {
            var book = await JsonSerializer.DeserializeAsync<Book>(http.Request.Body, json);
            if (book is null || string.IsNullOrEmpty(book.Title) || string.IsNullOrEmpty(book.Author)) return Results.UnprocessableEntity();
            var stored = book with { Id = Guid.CreateVersion7().ToString(), Version = 1 };
            var bytes = JsonSerializer.SerializeToUtf8Bytes(stored, json);
            countRequest();
            await s3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = bucket, Key = $"{prefix}/books/{stored.Id}.json", InputStream = new MemoryStream(bytes),
                ContentType = "application/json", IfNoneMatch = "*",
            });
            http.Response.StatusCode = 201;
            return Results.Bytes(bytes, "application/json");
        });
        app.MapGet("/books/{id}", async (string id) =>
        {
            try
            {
                countRequest();
                using var response = await s3.GetObjectAsync(bucket, $"{prefix}/books/{id}.json");
                using var buffer = new MemoryStream();
                await response.ResponseStream.CopyToAsync(buffer);
                return Results.Bytes(buffer.ToArray(), "application/json");
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return Results.NotFound();
            }
        });
        return app;
    }
}
