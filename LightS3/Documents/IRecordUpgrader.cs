using System.Text.Json.Nodes;

namespace LightS3.Documents;

/// <summary>
/// Brings stored records of one collection up to the shape of its current model as they are read (lazy migrations,
/// docs/migrations.md). Records carry the id of the last migration applied to them in <see cref="SchemaStamp.Field"/>.
/// </summary>
public interface IRecordUpgrader
{
    /// <summary>The id of the collection's latest declared migration; null when it has none (reads are left alone).</summary>
    string? Latest { get; }

    /// <summary>Applies, in memory, every declared migration <paramref name="data"/> has not had yet; true when it changed.</summary>
    bool Upgrade(JsonObject data);
}
