using LightS3.Endpoints;
using LightS3.Hosting;
using LightS3.Jobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LightS3.Webhooks;

/// <summary>
/// Delivers every change of the change feed to the configured targets: a leased job (<c>webhooks</c>), so exactly one
/// instance dispatches at a time and another takes over when it stops. Its run lasts as long as it holds the lease: one
/// loop per target and collection (a stream), each polling on its own, so a hung or slow receiver holds only its own
/// streams — never another target's. A stream reads a page of changes after the target's cursor, delivers them — one record's changes strictly in order, different records
/// concurrently — retrying each with exponential backoff and dead-lettering it after
/// <see cref="WebhookOptions.MaxAttempts"/>, then moves the cursor past the page with a compare-and-swap. Delivery is
/// at least once: a change whose page was not finished when its instance stopped is sent again by the next holder
/// (same <c>webhook-id</c>).
/// </summary>
internal sealed class WebhookDispatcher(EndpointRegistry registry, IWebhookChangeSource changes, WebhookSender sender, WebhookCursors cursors,
    WebhookDeadLetters deadLetters, IOptions<WebhookOptions> options, JobLeases leases, JobStatusBoard board, IOptions<JobOptions> jobOptions,
    TimeProvider time, ILogger<WebhookDispatcher> logger) : LeasedJob(leases, board, jobOptions, time, logger)
{
    /// <summary>The job's name (its lease: <c>_lights3/jobs/webhooks.lease.json</c>).</summary>
    public const string JobName = "webhooks";

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Target, string Collection), WebhookCursor> _cursors = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _errors = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public override string Name => JobName;

    /// <inheritdoc />
    protected override TimeSpan Interval => options.Value.Targets.Count == 0 ? TimeSpan.Zero : options.Value.PollInterval;

    /// <inheritdoc />
    protected override bool HoldBetweenRuns => true;

    /// <inheritdoc />
    protected override void OnLeaseAcquired() => _cursors.Clear(); // another instance may have moved them meanwhile

    /// <inheritdoc />
    protected override Task RunOnceAsync(CancellationToken ct) => RunStreamsAsync(ct);

    /// <summary>One loop per stream, until the lease is lost or the app stops (the run's token).</summary>
    private Task RunStreamsAsync(CancellationToken ct)
    {
        var streams = from target in options.Value.Targets
                      from endpoint in registry.Endpoints
                      where target.Covers(endpoint.Model.Route) && changes.Covers(endpoint.Model.Collection)
                      select StreamLoopAsync(target, endpoint.Model.Route, endpoint.Model.Collection, ct);
        return Task.WhenAll(streams.ToList());
    }

    /// <summary>
    /// Delivers what the feed holds after the stream's cursor, then waits a poll interval, again and again. A failed pass
    /// (the store unreachable) is reported and retried on the next poll; it never stops the other streams.
    /// </summary>
    private async Task StreamLoopAsync(WebhookTarget target, string route, string collection, CancellationToken ct)
    {
        var stream = $"{target.EffectiveName}/{collection}";
        while (true)
        {
            try
            {
                await DispatchAsync(target, route, collection, ct);
                _errors.TryRemove(stream, out _);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                _errors[stream] = $"{stream}: {e.Message}";
                OnFailure(e);
            }
            ReportProgress(_errors.Values.FirstOrDefault());
            await Task.Delay(options.Value.PollInterval, Time, ct);
        }
    }

    private async Task DispatchAsync(WebhookTarget target, string route, string collection, CancellationToken ct)
    {
        var o = options.Value;
        // kept between passes (no GET per poll); a stale one is caught by the compare-and-swap of the next save
        var key = (target.EffectiveName, collection);
        var cursor = _cursors.TryGetValue(key, out var known) ? known : await cursors.ReadAsync(target.EffectiveName, collection, ct);
        while (!ct.IsCancellationRequested)
        {
            var page = await changes.ReadAsync(collection, cursor.Since, o.BatchSize, ct);
            var messages = page.Changes.Select(c => WebhookMessage.Create(route, collection, c)).Where(m => target.Accepts(m.Event)).ToList();
            await Parallel.ForEachAsync(messages.GroupBy(m => m.RecordId), new ParallelOptions { MaxDegreeOfParallelism = o.MaxConcurrency, CancellationToken = ct },
                async (record, token) =>
                {
                    foreach (var message in record) await DeliverAsync(target, message, token);
                });
            if (page.Next is null || page.Next == cursor.Since)
            {
                _cursors[key] = cursor;
                return;
            }
            if (await cursors.SaveAsync(cursor, page.Next, ct) is not { } saved)
            {
                _cursors.TryRemove(key, out _);
                logger.CursorMoved(target.EffectiveName, collection);
                return;
            }
            _cursors[key] = cursor = saved;
            if (page.Changes.Count < o.BatchSize) return;
        }
    }

    /// <summary>Delivers one message with retries; dead-letters it when every attempt failed.</summary>
    private async Task DeliverAsync(WebhookTarget target, WebhookMessage message, CancellationToken ct)
    {
        var o = options.Value;
        DeliveryAttempt attempt = default;
        for (var n = 1; n <= o.MaxAttempts; n++)
        {
            attempt = await sender.SendAsync(target, message.Id, message.Body, ct);
            if (attempt.Delivered)
            {
                WebhookMetrics.Count(target.EffectiveName, "delivered");
                return;
            }
            WebhookMetrics.Count(target.EffectiveName, "failed");
            logger.DeliveryFailed(target.EffectiveName, message.Id, n, attempt.Error ?? "");
            if (n < o.MaxAttempts) await Task.Delay(RetryDelay(n), Time, ct);
        }
        var letter = new WebhookDeadLetter
        {
            Id = WebhookDeadLetters.NewId(), Target = target.EffectiveName, Url = target.Url, MessageId = message.Id, Event = message.Event,
            Collection = message.Collection, RecordId = message.RecordId, Version = message.Version, Attempts = o.MaxAttempts,
            LastStatus = attempt.Status, LastError = attempt.Error, DeadAt = Time.GetUtcNow(), Body = System.Text.Encoding.UTF8.GetString(message.Body.Span),
        };
        await deadLetters.WriteAsync(letter, ct);
        WebhookMetrics.Count(target.EffectiveName, "dead_lettered");
        logger.DeadLettered(target.EffectiveName, message.Id, letter.Id, o.MaxAttempts, attempt.Error ?? "");
    }

    /// <summary>The wait after failed attempt <paramref name="attempt"/>: doubling from the first delay, capped, ±20 % jitter.</summary>
    private TimeSpan RetryDelay(int attempt)
    {
        var o = options.Value;
        var delay = o.FirstRetryDelay * Math.Pow(2, Math.Min(attempt - 1, 30));
        if (delay > o.MaxRetryDelay) delay = o.MaxRetryDelay;
        return delay * (0.8 + Random.Shared.NextDouble() * 0.4);
    }
}
