using LightS3.Tests.Support;

namespace LightS3.Tests.Cli;

/// <summary><c>lights3 backup</c> and <c>lights3 restore</c> between the embedded store, RGW, directories and tar files.</summary>
[Category(External.Category)]
[Parallelizable(ParallelScope.All)]
public sealed class BackupRestoreCommandTests
{
    private static async Task<CliWorkspace> SeededAsync(bool s3, int count)
    {
        var ws = CliWorkspace.Create("");
        ws.Write("lightapi.yaml", (s3 ? CliWorkspace.S3Storage(S3TestServer.NewPrefix("cli-bk")) : ws.FileStorage) + CliSamples.Endpoints);
        var lines = string.Join("\n", Enumerable.Range(0, count).Select(i => $"{{\"label\":\"tag-{i:D3}\",\"weight\":{i}}}"));
        var run = await ws.RunAsync("import", ws.Write("seed.ndjson", lines + "\n"), "--route", "/tags");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        return ws;
    }

    private static CliWorkspace Empty(bool s3)
    {
        var ws = CliWorkspace.Create("");
        ws.Write("lightapi.yaml", (s3 ? CliWorkspace.S3Storage(S3TestServer.NewPrefix("cli-rs")) : ws.FileStorage) + CliSamples.Endpoints);
        return ws;
    }

    private static async Task<string> ExportAsync(CliWorkspace ws)
    {
        var run = await ws.RunAsync("export", "--route", "/tags");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        return run.Output;
    }

    [TestCase(false, true, "backup")]
    [TestCase(true, false, "backup.tar")]
    public async Task A_backup_restores_into_another_store_with_the_same_records_ids_and_unique_markers(bool fromS3, bool toS3, string destination)
    {
        using var source = await SeededAsync(fromS3, 25);
        var target = Path.Combine(source.Directory, destination);
        var backup = await source.RunAsync("backup", target);
        Assert.That(backup.ExitCode, Is.Zero, backup.ToString());
        Assert.That(backup.Errors, Does.Contain("backup: 50 objects").And.Contain("50 verified"), "25 records and 25 unique markers");

        using var copy = Empty(toS3);
        var restore = await copy.RunAsync("restore", target);
        Assert.That(restore.ExitCode, Is.Zero, restore.ToString());
        Assert.That(restore.Errors, Does.Contain("restore: 50 objects").And.Contain("50 verified in the store"));
        Assert.That(await ExportAsync(copy), Is.EqualTo(await ExportAsync(source)));
        var duplicate = await copy.RunAsync("import", copy.Write("dup.ndjson", "{\"label\":\"tag-007\"}\n"), "--route", "/tags");
        Assert.That(duplicate.Output, Does.Contain("line 1: 409"), "the unique markers came along");

        var again = await copy.RunAsync("restore", target);
        Assert.That(again.ExitCode, Is.Zero, again.ToString());
        // identical bytes count as already there (the S3 store reports a conditional PUT of identical bytes as its own success)
        Assert.That(again.Errors, Does.Contain("50 verified in the store"));
        Assert.That(await ExportAsync(copy), Is.EqualTo(await ExportAsync(source)));
    }

    [Test]
    public async Task An_interrupted_backup_resumes_and_copies_only_what_is_missing()
    {
        using var source = await SeededAsync(false, 10);
        var dir = Path.Combine(source.Directory, "bk");
        Assert.That((await source.RunAsync("backup", dir)).ExitCode, Is.Zero);
        // as if it had died after its first three objects
        File.Delete(Path.Combine(dir, "complete.json"));
        var manifest = Path.Combine(dir, "manifest.ndjson");
        var lines = File.ReadAllLines(manifest);
        File.WriteAllLines(manifest, lines.Take(3).Append(lines[3][..20]));
        var resumed = await source.RunAsync("backup", dir);
        Assert.That(resumed.ExitCode, Is.Zero, resumed.ToString());
        Assert.That(resumed.Errors, Does.Contain("backup: 17 objects").And.Contain("3 already there").And.Contain("20 verified"));
    }

    [Test]
    public async Task A_tampered_backup_file_is_not_restored_and_the_restore_fails_with_exit_1()
    {
        using var source = await SeededAsync(false, 3);
        var dir = Path.Combine(source.Directory, "bk");
        Assert.That((await source.RunAsync("backup", dir)).ExitCode, Is.Zero);
        var victim = Directory.GetFiles(Path.Combine(dir, "objects"), "*.json", SearchOption.AllDirectories).First();
        File.WriteAllText(victim, "{\"tampered\":true}");
        using var copy = Empty(false);
        var restore = await copy.RunAsync("restore", dir);
        Assert.That(restore.ExitCode, Is.EqualTo(1), restore.ToString());
        Assert.That(restore.Output, Does.Contain("does not match its manifest; not restored"));
        Assert.That((await ExportAsync(copy)).Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(2));
    }

    [Test]
    public async Task Restoring_an_incomplete_backup_is_refused_with_exit_2()
    {
        using var ws = Empty(false);
        Directory.CreateDirectory(Path.Combine(ws.Directory, "half"));
        var run = await ws.RunAsync("restore", "half");
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Errors, Does.Contain("not a complete backup"));
    }
}
