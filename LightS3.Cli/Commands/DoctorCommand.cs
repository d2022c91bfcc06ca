using System.CommandLine;
using LightS3.Cli.Doctor;
using LightS3.Hosting;
using LightS3.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LightS3.Cli.Commands;

/// <summary>
/// <c>lights3 doctor</c>: checks the configured store for everything LightS3 relies on (bucket, credentials, read-after-write,
/// conditional PUT and DELETE, versioning, clock skew), then Redis and the JWT key; prints what each result means for
/// LightS3; with <c>--check-invariants</c> (and <c>--repair</c>), the records against their unique claims and index entries
/// (<see cref="InvariantChecks"/>). Exit 0 when nothing failed (warnings allowed), 1 otherwise.
/// </summary>
public static class DoctorCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliGlobals globals)
    {
        var invariants = new Option<bool>("--check-invariants") { Description = "also check that every record's unique values are claimed and its index and expiry entries exist" };
        var repair = new Option<bool>("--repair") { Description = "with --check-invariants: write the missing claims and entries" };
        var command = new Command("doctor", "check the store, Redis and the JWT key for what LightS3 relies on, and say what each result means") { invariants, repair };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(repair) && !parse.GetValue(invariants)) throw new CliException("--repair works with --check-invariants");
            // the endpoints are not registered: a missing JWT key is a row of the report, not a refusal to run
            var config = globals.Host.Read(globals.ConfigPath(parse));
            await using var app = globals.Host.BuildServicesOnly(config);
            var options = app.Services.GetRequiredService<IOptions<LightS3Options>>().Value;
            var store = app.Services.GetRequiredService<IObjectStore>();
            var results = new List<DoctorResult>();
            results.AddRange(store.Find<S3ObjectStore>() is not null
                ? await new S3Checks(options.S3, options.GarbageCollectionGrace).RunAsync(ct)
                : await new StoreChecks(store).RunAsync(ct));
            results.Add(await ServiceChecks.RedisAsync(options.RedisUrl, TimeSpan.FromSeconds(3)));
            var authenticated = config.Endpoints
                .Where(e => e.Model.Authentication?.RequiresAuthentication ?? options.DefaultPermission is { } p && p != Model.AccessRule.AllowAnyName)
                .Select(e => e.Model.Route).Order(StringComparer.Ordinal).ToList();
            results.Add(ServiceChecks.Jwt(options.Jwt, authenticated));
            globals.Output.Table(["CHECK", "STATUS", "RESULT", "MEANING FOR LIGHTS3"], results.Select(r => (IReadOnlyList<string>)[r.Check, r.StatusText, r.Result, r.Meaning]));
            if (parse.GetValue(invariants))
            {
                var reports = await InvariantChecks.RunAsync(app, config.Endpoints.Select(e => e.Model), parse.GetValue(repair), storeInUse: true, ct);
                InvariantChecks.Print(globals.Output, reports);
                globals.Output.Note(InvariantChecks.Summary(reports));
                // a repaired violation is fixed; a duplicate (or one found without --repair) still fails
                results.Add(new DoctorResult("invariants", reports.Any(r => r.Unresolved.Count > 0 || (r.Violated && !r.Repaired)) ? DoctorStatus.Fail : DoctorStatus.Ok,
                    InvariantChecks.Summary(reports), "records, unique claims and index entries agree"));
            }
            var failed = results.Count(r => r.Status == DoctorStatus.Fail);
            if (failed > 0) globals.Output.Problem($"doctor: {failed} check(s) failed");
            return failed > 0 ? ExitCodes.Failure : ExitCodes.Ok;
        });
        return command;
    }
}
