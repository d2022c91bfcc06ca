using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace LightS3.Webhooks;

/// <summary>
/// One message as POSTed: its <c>webhook-id</c> (derived from collection, record and version, so every instance and every
/// retry sends the same id and receivers can drop duplicates), its event and the JSON body
/// <c>{"type": "{collection}.{event}", "timestamp", "data": {"route", "collection", "event", "op", "id", "version", "at", "actor", "record"}}</c>.
/// </summary>
internal sealed record WebhookMessage(string Id, string Event, string Collection, string RecordId, long Version, ReadOnlyMemory<byte> Body)
{
    /// <summary>The event of a feed operation: create → created, update → updated, delete → deleted, restore → restored.</summary>
    public static string EventOf(string op) => op.EndsWith('e') ? op + "d" : op + "ed";

    /// <summary>The message of one change of the collection served at <paramref name="route"/>.</summary>
    public static WebhookMessage Create(string route, string collection, WebhookChange change)
    {
        var ev = EventOf(change.Op);
        var body = new JsonObject
        {
            ["type"] = $"{collection}.{ev}",
            ["timestamp"] = change.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            ["data"] = new JsonObject
            {
                ["route"] = route,
                ["collection"] = collection,
                ["event"] = ev,
                ["op"] = change.Op,
                ["id"] = change.Id,
                ["version"] = change.Version,
                ["at"] = change.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                ["actor"] = change.Actor,
                ["record"] = change.Record?.DeepClone(),
            },
        };
        return new WebhookMessage(IdOf(collection, change.Id, change.Version), ev, collection, change.Id, change.Version,
            Encoding.UTF8.GetBytes(body.ToJsonString()));
    }

    /// <summary>The message id of a record version: <c>msg_</c> and 24 base64url characters of a SHA-256.</summary>
    public static string IdOf(string collection, string id, long version)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{collection}\n{id}\n{version.ToString(CultureInfo.InvariantCulture)}"));
        return "msg_" + Convert.ToBase64String(hash, 0, 18).Replace('+', '-').Replace('/', '_');
    }
}
