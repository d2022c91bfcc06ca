using System.Text.Json.Nodes;
using LightS3.Jobs;
using LightS3.Storage;
using LightS3.Tests.Support;

namespace LightS3.Tests.Jobs;

/// <summary>Leased jobs across app instances on one RGW prefix.</summary>
[Category(External.Category)]
public class LeasedJobTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Test]
    public async Task A_held_job_runs_on_exactly_one_of_two_instances_at_a_time()
    {
        var probe = new ProbeJobState { RunTime = TimeSpan.FromMilliseconds(30) };
        await using var a = await JobApps.StartAsync(probe, "A");
        await using var b = await JobApps.StartAsync(probe, "B", a.Location);
        await JobApps.WaitForAsync(() => probe.TotalRuns >= 20, Wait, "20 runs");
        await Task.Delay(JobApps.Lease * 2); // several renewals
        Assert.Multiple(() =>
        {
            Assert.That(probe.MaxActive, Is.EqualTo(1), "never two runs at once");
            Assert.That(probe.RunsByInstance.Keys, Has.Count.EqualTo(1), "one holder while it lives");
        });
    }

    [Test]
    public async Task Stopping_the_holder_hands_the_job_to_the_other_instance()
    {
        var probe = new ProbeJobState();
        var a = await JobApps.StartAsync(probe, "A");
        await JobApps.WaitForAsync(() => probe.TotalRuns > 0, Wait, "A's first run");
        await using var b = await JobApps.StartAsync(probe, "B", a.Location);
        await Task.Delay(500);
        Assert.That(probe.RunsByInstance.ContainsKey("B"), Is.False, "B waits while A holds the lease");
        await a.DisposeAsync();
        await JobApps.WaitForAsync(() => probe.RunsByInstance.ContainsKey("B"), Wait, "B taking over");
        Assert.That(probe.MaxActive, Is.EqualTo(1));
    }

    [Test]
    public async Task A_lease_left_by_a_dead_holder_is_taken_over_once_it_expires()
    {
        var location = TestStores.NewLocation(TestStore.S3);
        var leases = new JobLeases(TestStores.Create(TestStore.S3, new RequestCounter(), location), TimeProvider.System);
        var ghostUntil = DateTimeOffset.UtcNow.AddSeconds(3);
        var ghost = await leases.TryTakeAsync(await leases.ReadAsync("probe"), "ghost", TimeSpan.FromSeconds(3));
        Assert.That(ghost, Is.Not.Null);

        var probe = new ProbeJobState();
        await using var app = await JobApps.StartAsync(probe, "A", location);
        await JobApps.WaitForAsync(() => probe.TotalRuns > 0, Wait, "the takeover");
        var first = probe.Runs.First().At;
        Assert.That(first, Is.GreaterThanOrEqualTo(ghostUntil), "no run while the dead holder's lease was valid");
        // about a check interval on a quiet machine; the bound only guards against a takeover that never comes
        Assert.That(first - ghostUntil, Is.LessThan(Wait), "taken over once the lease expired");
        Assert.That((await leases.ReadAsync("probe")).State!.Holder, Is.EqualTo("A"));
    }

    [Test]
    public async Task A_periodic_job_runs_once_per_interval_across_instances()
    {
        var probe = new ProbeJobState { Hold = false, Interval = TimeSpan.FromSeconds(1) };
        await using var a = await JobApps.StartAsync(probe, "A");
        await using var b = await JobApps.StartAsync(probe, "B", a.Location);
        await Task.Delay(TimeSpan.FromSeconds(6.5));
        // uncoordinated, two instances would run about 12 times; a loaded machine may skip a beat, never add one
        Assert.That(probe.TotalRuns, Is.InRange(2, 7));
        Assert.That(probe.MaxActive, Is.EqualTo(1));
    }

    [Test]
    public async Task Readyz_shows_each_job_with_its_holder_last_run_and_last_error()
    {
        var probe = new ProbeJobState { Fail = true };
        await using var app = await JobApps.StartAsync(probe, "instance-a");
        await JobApps.WaitForAsync(() => probe.TotalRuns > 0, Wait, "a run");
        await Task.Delay(100);
        var response = await app.Client.GetAsync("/readyz");
        var jobs = (await response.JsonAsync())["checks"]!["jobs"]!;
        var job = jobs["data"]!["probe"]!;
        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(200), "a failing job does not make the app unready");
            Assert.That((string?)jobs["status"], Is.EqualTo("Degraded"));
            Assert.That((string?)job["holder"], Is.EqualTo("instance-a"));
            Assert.That((bool)job["held_here"]!, Is.True);
            Assert.That((string?)job["last_error"], Is.EqualTo("probe failed"));
            Assert.That((string?)job["last_run_at"], Is.Not.Null);
            Assert.That(jobs["data"]!["expiry-sweep"]!["enabled"]!.GetValue<bool>(), Is.False, "jobs switched off are listed too");
            Assert.That(jobs["data"]!.AsObject().ContainsKey("garbage-collection"), Is.True);
        });
    }

    [Test]
    public async Task The_expiry_sweep_runs_as_a_leased_job_and_records_its_run_in_the_lease()
    {
        await using var app = await JobApps.StartAsync(null, "A", configure: o => o.ExpirySweepInterval = TimeSpan.FromMilliseconds(300));
        var leases = new JobLeases(app.ObjectStore, TimeProvider.System);
        JobLeaseState? state = null;
        await JobApps.WaitForAsync(() => (state = leases.ReadAsync(LightS3.Hosting.ExpirySweepService.JobName).GetAwaiter().GetResult().State)?.LastRunAt is not null,
            Wait, "a recorded sweep");
        Assert.Multiple(() =>
        {
            Assert.That(state!.Holder, Is.EqualTo("A"));
            Assert.That(state.LastError, Is.Null);
        });
    }
}
