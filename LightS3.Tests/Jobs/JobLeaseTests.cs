using LightS3.Jobs;
using LightS3.Storage;
using LightS3.Tests.Support;

namespace LightS3.Tests.Jobs;

/// <summary>The lease primitive on RGW: conditional takes, expiry, takeover, renewal.</summary>
[Category(External.Category)]
public class JobLeaseTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);

    private static JobLeases Leases(out IObjectStore store, TimeProvider? time = null)
    {
        store = TestStores.Create(TestStore.S3, new RequestCounter());
        return new JobLeases(store, time ?? TimeProvider.System);
    }

    [Test]
    public async Task Only_one_of_many_concurrent_takers_of_a_free_lease_wins()
    {
        var leases = Leases(out _);
        var seen = await leases.ReadAsync("race");
        var taken = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => leases.TryTakeAsync(seen, $"holder-{i}", Long)));
        var winners = taken.Where(t => t is not null).ToList();
        Assert.That(winners, Has.Count.EqualTo(1));
        Assert.That((await leases.ReadAsync("race")).State!.Holder, Is.EqualTo(winners[0]!.State.Holder));
    }

    [Test]
    public async Task An_unexpired_lease_refuses_other_holders_and_an_expired_one_is_taken_over()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var leases = Leases(out _, clock);
        var first = await leases.TryTakeAsync(await leases.ReadAsync("job"), "a", TimeSpan.FromSeconds(30));
        Assert.That(first, Is.Not.Null);
        Assert.That(await leases.TryTakeAsync(await leases.ReadAsync("job"), "b", TimeSpan.FromSeconds(30)), Is.Null, "held by a");
        clock.Advance(TimeSpan.FromSeconds(31));
        var second = await leases.TryTakeAsync(await leases.ReadAsync("job"), "b", TimeSpan.FromSeconds(30));
        Assert.That(second?.State.Holder, Is.EqualTo("b"), "expired: b takes over");
        Assert.That(await leases.RenewAsync(first!, TimeSpan.FromSeconds(30)), Is.Null, "a lost it and cannot renew");
        Assert.That(await leases.RenewAsync(second!, TimeSpan.FromSeconds(30)), Is.Not.Null, "b renews");
    }

    [Test]
    public async Task A_released_lease_is_free_at_once_and_keeps_the_last_run()
    {
        var leases = Leases(out _);
        var held = await leases.TryTakeAsync(await leases.ReadAsync("job"), "a", Long);
        var finished = DateTimeOffset.UtcNow;
        Assert.That(await leases.ReleaseAsync(held!, new JobRunResult(finished, "boom")), Is.True);
        var seen = await leases.ReadAsync("job");
        Assert.Multiple(() =>
        {
            Assert.That(seen.State!.IsHeldAt(DateTimeOffset.UtcNow), Is.False);
            Assert.That(seen.State.LastError, Is.EqualTo("boom"));
            Assert.That(seen.State.LastRunAt, Is.EqualTo(finished));
        });
        Assert.That(await leases.TryTakeAsync(seen, "b", Long), Is.Not.Null);
    }

    [Test]
    public async Task The_lease_object_lives_under_lights3_jobs()
    {
        var leases = Leases(out var store);
        await leases.TryTakeAsync(await leases.ReadAsync("named"), "a", Long);
        Assert.That(await store.GetAsync("_lights3/jobs/named.lease.json"), Is.Not.Null);
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;
        public void Advance(TimeSpan by) => _now += by;
        public override DateTimeOffset GetUtcNow() => _now;
    }
}
