using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LightS3.Tests.Support;
using LightS3.Webhooks;

namespace LightS3.Tests.Webhooks;

/// <summary>Delivery, retries, dead letters, ordering and cursors, against RGW and a real receiver.</summary>
[Category(External.Category)]
public class WebhookDeliveryTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>A receiver's check, written as a receiver would from the Standard Webhooks spec (not with LightS3's code).</summary>
    private static bool ReceiverVerifies(ReceivedWebhook r)
    {
        var key = Convert.FromBase64String(WebhookApps.Secret["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes($"{r.Id}.{r.Timestamp}.").Concat(r.Body).ToArray();
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
        return (r.Signature ?? "").Split(' ').Contains(expected)
            && Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - long.Parse(r.Timestamp!)) < 300;
    }

    [Test]
    public async Task A_receiver_failing_three_times_gets_the_event_on_the_fourth_attempt_with_a_valid_signature()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = n => n <= 3 ? 500 : 200;
        var changes = new ScriptedChanges();
        await using var app = await WebhookApps.StartAsync(changes, receiver);
        changes.Add(WebhookApps.Collection, "create", "rec-1", new JsonObject { ["id"] = "rec-1", ["title"] = "Dune" });

        await WebhookReceiver.WaitForAsync(() => receiver.Accepted.Count == 1, Wait, "the fourth attempt");
        var attempts = receiver.Requests.ToList();
        var delivered = attempts[^1];
        var body = JsonNode.Parse(delivered.Text)!;
        Assert.Multiple(() =>
        {
            Assert.That(attempts.Select(a => a.Answered), Is.EqualTo(new[] { 500, 500, 500, 200 }));
            Assert.That(attempts.Select(a => a.Id).Distinct().Count(), Is.EqualTo(1), "one webhook-id across retries");
            Assert.That(ReceiverVerifies(delivered), Is.True, "a receiver following the spec accepts the signature");
            Assert.That(StandardWebhooksLibrary.Verifies(delivered), Is.True, "the StandardWebhooks library accepts it");
            Assert.That(WebhookSignature.Verify(WebhookApps.Secret, delivered.Id!, delivered.Timestamp!, delivered.Signature!, delivered.Body,
                DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)), Is.True, "LightS3's verifier accepts it");
            Assert.That((string?)body["type"], Is.EqualTo("books.created"));
            Assert.That((string?)body["data"]!["id"], Is.EqualTo("rec-1"));
            Assert.That((string?)body["data"]!["record"]!["title"], Is.EqualTo("Dune"));
            // exponential backoff: 100, 200, 400 ms (±20 %)
            var gaps = attempts.Zip(attempts.Skip(1), (a, b) => (b.At - a.At).TotalMilliseconds).ToList();
            Assert.That(gaps[0], Is.GreaterThanOrEqualTo(75));
            Assert.That(gaps[1], Is.GreaterThanOrEqualTo(155));
            Assert.That(gaps[2], Is.GreaterThanOrEqualTo(315));
        });
    }

    [Test]
    public async Task An_always_failing_receiver_dead_letters_the_event_and_redeliver_sends_it_once_the_receiver_is_back()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = _ => 503;
        var changes = new ScriptedChanges();
        await using var app = await WebhookApps.StartAsync(changes, receiver, configure: w => w.MaxAttempts = 3);
        changes.Add(WebhookApps.Collection, "create", "doomed");

        JsonArray letters = [];
        await WebhookReceiver.WaitForAsync(() =>
        {
            letters = (JsonArray)app.SendAsync(HttpMethod.Get, WebhookAdminRoutes.DeadLettersPath, adjust: WebhookApps.AsAdmin).JsonAsync().GetAwaiter().GetResult()["results"]!;
            return letters.Count == 1;
        }, Wait, "the dead letter");
        var letter = letters[0]!;
        var id = (string)letter["id"]!;
        Assert.Multiple(() =>
        {
            Assert.That(receiver.Requests.Count, Is.EqualTo(3), "MaxAttempts attempts, then no more");
            Assert.That((int)letter["attempts"]!, Is.EqualTo(3));
            Assert.That((int?)letter["last_status"], Is.EqualTo(503));
            Assert.That((string?)letter["payload"]!["data"]!["id"], Is.EqualTo("doomed"));
        });

        // the dead letter does not block what follows
        receiver.Answer = n => 204;
        changes.Add(WebhookApps.Collection, "create", "after");
        await WebhookReceiver.WaitForAsync(() => receiver.Accepted.Count == 1, Wait, "the next change");

        receiver.Answer = _ => 500;
        var refused = await app.SendAsync(HttpMethod.Post, $"{WebhookAdminRoutes.DeadLettersPath}/{id}/redeliver", adjust: WebhookApps.AsAdmin);
        Assert.That((int)refused.StatusCode, Is.EqualTo(502), await refused.Content.ReadAsStringAsync());
        Assert.That((int)(await app.SendAsync(HttpMethod.Get, $"{WebhookAdminRoutes.DeadLettersPath}/{id}", adjust: WebhookApps.AsAdmin).JsonAsync())["attempts"]!, Is.EqualTo(4));

        receiver.Answer = _ => 200;
        var redelivered = await app.SendAsync(HttpMethod.Post, $"{WebhookAdminRoutes.DeadLettersPath}/{id}/redeliver", adjust: WebhookApps.AsAdmin);
        Assert.That((int)redelivered.StatusCode, Is.EqualTo(200), await redelivered.Content.ReadAsStringAsync());
        var last = receiver.Requests.Last();
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(last.Id, Is.EqualTo((string)letter["message_id"]!));
            Assert.That(ReceiverVerifies(last), Is.True);
            Assert.That(StandardWebhooksLibrary.Verifies(last), Is.True);
            Assert.That((string?)JsonNode.Parse(last.Text)!["data"]!["id"], Is.EqualTo("doomed"));
            Assert.That(await app.SendAsync(HttpMethod.Get, $"{WebhookAdminRoutes.DeadLettersPath}/{id}", adjust: WebhookApps.AsAdmin).StatusAsync(), Is.EqualTo(404));
        });
    }

    [Test]
    public async Task Two_instances_deliver_each_event_exactly_once_in_total()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var changes = new ScriptedChanges();
        await using var a = await WebhookApps.StartAsync(changes, receiver);
        await using var b = await WebhookApps.StartAsync(changes, receiver, location: a.Location);
        for (var i = 0; i < 60; i++) changes.Add(WebhookApps.Collection, i % 3 == 0 ? "create" : "update", $"rec-{i % 12}");

        await WebhookReceiver.WaitForAsync(() => receiver.Requests.Count >= 60, Wait, "60 deliveries");
        // positive control instead of a sleep: a later event arrives, so the dispatchers have moved past the 60
        // (a duplicate of one of them would have been sent by now) and the channel still delivers
        changes.Add(WebhookApps.Collection, "create", "sentinel");
        await WebhookReceiver.WaitForAsync(() => receiver.Requests.Any(r => r.Text.Contains("\"sentinel\"")), Wait, "the sentinel");
        var ids = receiver.Requests.Select(r => r.Id).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(ids, Has.Count.EqualTo(61), "each event delivered once in total");
            Assert.That(ids.Distinct().Count(), Is.EqualTo(61));
        });
    }

    [Test]
    public async Task Changes_of_one_record_arrive_in_commit_order_even_when_attempts_fail()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = n => n == 1 && Random.Shared.Next(3) == 0 ? 500 : 204;
        var changes = new ScriptedChanges();
        await using var app = await WebhookApps.StartAsync(changes, receiver);
        for (var v = 0; v < 10; v++)
            for (var r = 0; r < 5; r++) changes.Add(WebhookApps.Collection, v == 0 ? "create" : "update", $"rec-{r}");

        await WebhookReceiver.WaitForAsync(() => receiver.Accepted.Count == 50, Wait, "50 deliveries");
        foreach (var record in receiver.Accepted.Select(r => JsonNode.Parse(r.Text)!["data"]!).GroupBy(d => (string)d["id"]!))
            Assert.That(record.Select(d => (long)d["version"]!), Is.Ordered, $"versions of {record.Key} in order");
        Assert.That(receiver.Requests.Count, Is.GreaterThan(50), "some first attempts failed (else the test shows nothing)");
    }

    [Test]
    public async Task A_restarted_dispatcher_resumes_after_the_saved_cursor()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var changes = new ScriptedChanges();
        string location;
        await using (var first = await WebhookApps.StartAsync(changes, receiver))
        {
            location = first.Location;
            for (var i = 0; i < 5; i++) changes.Add(WebhookApps.Collection, "create", $"early-{i}");
            await WebhookReceiver.WaitForAsync(() => receiver.Accepted.Count == 5, Wait, "the first five");
            await Task.Delay(300); // the cursor is saved right after the page
        }
        for (var i = 0; i < 5; i++) changes.Add(WebhookApps.Collection, "create", $"late-{i}");
        await using var second = await WebhookApps.StartAsync(changes, receiver, location: location);
        await WebhookReceiver.WaitForAsync(() => receiver.Accepted.Count >= 10, Wait, "the last five");
        // positive control instead of a sleep: a later event arrives, so a redelivery of the first five would have too
        changes.Add(WebhookApps.Collection, "create", "sentinel");
        await WebhookReceiver.WaitForAsync(() => receiver.Accepted.Any(r => r.Text.Contains("\"sentinel\"")), Wait, "the sentinel");
        Assert.That(receiver.Accepted, Has.Count.EqualTo(11), "the five early, the five late and the sentinel, once each");
        Assert.That(receiver.Accepted.Select(r => r.Id).Distinct().Count(), Is.EqualTo(receiver.Accepted.Count), "nothing delivered twice");
    }

    [Test]
    public async Task Dead_letter_routes_are_for_admins_and_refuse_bad_input_with_problems()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var app = await WebhookApps.StartAsync(new ScriptedChanges(), receiver);
        var path = WebhookAdminRoutes.DeadLettersPath;
        await Assert.MultipleAsync(async () =>
        {
            var anonymous = await app.SendAsync(HttpMethod.Get, path);
            Assert.That((int)anonymous.StatusCode, Is.EqualTo(401));
            Assert.That(anonymous.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"));
            Assert.That(anonymous.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), "a problem, not an empty body");
            Assert.That((string?)(await anonymous.JsonAsync())["detail"], Is.EqualTo("Authentication credentials were not provided."));
            var forged = await app.SendAsync(HttpMethod.Get, path, adjust: r => r.Headers.Authorization = new("Bearer", Tokens.Create("user", secret: new string('x', 64))));
            Assert.That((int)forged.StatusCode, Is.EqualTo(401));
            Assert.That(forged.Headers.WwwAuthenticate.ToString(), Does.Contain("invalid signature"));
            Assert.That((string?)(await forged.JsonAsync())["detail"], Is.EqualTo("Authentication credentials invalid."));
            var user = await app.SendAsync(HttpMethod.Get, path, adjust: r => r.Headers.Authorization = new("Bearer", Tokens.Create("user")));
            Assert.That((int)user.StatusCode, Is.EqualTo(403));
            Assert.That(user.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That((string?)(await user.JsonAsync())["detail"], Is.EqualTo("You do not have permission to perform this action."));
            Assert.That(await app.SendAsync(HttpMethod.Get, path + "?limit=abc", adjust: WebhookApps.AsAdmin).StatusAsync(), Is.EqualTo(400));
            Assert.That(await app.SendAsync(HttpMethod.Get, path + "?after=../x", adjust: WebhookApps.AsAdmin).StatusAsync(), Is.EqualTo(400));
            var missing = await app.SendAsync(HttpMethod.Post, path + "/../../etc/redeliver", adjust: WebhookApps.AsAdmin);
            Assert.That((int)missing.StatusCode, Is.EqualTo(404));
            var unknown = await app.SendAsync(HttpMethod.Post, $"{path}/{Guid.NewGuid():N}/redeliver", adjust: WebhookApps.AsAdmin);
            Assert.That((int)unknown.StatusCode, Is.EqualTo(404));
            Assert.That(unknown.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That((string?)(await unknown.JsonAsync())["detail"], Does.StartWith("no dead letter"));
        });
    }
}
