namespace LightS3.Tests.Packaging;

/// <summary>Removes the packed feed, the template hive and the restored test version once the packaging tests ran.</summary>
[SetUpFixture]
public sealed class PackagingCleanUp
{
    [OneTimeTearDown]
    public void RemoveLocalFeed() => LocalFeed.CleanUp();
}
