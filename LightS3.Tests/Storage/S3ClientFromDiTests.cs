using Amazon.Runtime;
using Amazon.S3;
using LightS3.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Tests.Storage;

/// <summary>An <c>IAmazonS3</c> the app registers (e.g. through AWSSDK.Extensions.NETCore.Setup) is the client LightS3 uses.</summary>
[Category(External.Category)]
public sealed class S3ClientFromDiTests
{
    [Test]
    public async Task The_apps_own_s3_client_from_di_is_used_instead_of_one_built_from_options()
    {
        var client = new AmazonS3Client(
            new BasicAWSCredentials(Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"), Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY")),
            new AmazonS3Config
            {
                ServiceURL = S3TestServer.Endpoint,
                ForcePathStyle = true,
                AuthenticationRegion = "us-east-1",
                RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
                ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            });
        // options point nowhere (a refused port): only the registered client can reach the server
        await using var app = await TestApp.StartAsync(TestStore.S3, a => a.Register<BookEndpoint>("/books"),
            o => o.S3.ServiceUrl = "http://127.0.0.1:1", configureServices: s => s.AddSingleton<IAmazonS3>(client));
        var id = (await app.CreateAsync("/books", new { title = "via the app's client", author = "a" }))["id"]!.GetValue<string>();
        Assert.That(await app.Client.GetAsync($"/books/{id}").StatusAsync(), Is.EqualTo(200));
        client.Dispose();
    }
}
