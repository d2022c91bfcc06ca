using LightS3.Jobs;
using LightS3.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Tests.Jobs;

/// <summary>Starts apps on RGW running a <see cref="ProbeJob"/>, with a short lease.</summary>
public static class JobApps
{
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(1.5);

    public static Task<TestApp> StartAsync(ProbeJobState? probe, string instance, string? location = null, Action<LightS3Options>? configure = null) =>
        TestApp.StartAsync(TestStore.S3, app => app.Register<BookEndpoint>("/books"), o =>
        {
            o.GarbageCollectionInterval = TimeSpan.Zero;
            o.ExpirySweepInterval = TimeSpan.Zero;
            configure?.Invoke(o);
        }, location, configureServices: s =>
        {
            if (probe is not null)
            {
                s.AddSingleton(probe);
                s.AddHostedService<ProbeJob>();
            }
            s.PostConfigure<JobOptions>(j =>
            {
                j.LeaseDuration = Lease;
                j.InstanceId = instance;
            });
        });

    /// <summary>Waits until <paramref name="condition"/> holds, failing after <paramref name="timeout"/>.</summary>
    public static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out after {timeout.TotalSeconds:0.#} s waiting for {what}");
            await Task.Delay(25);
        }
    }
}
