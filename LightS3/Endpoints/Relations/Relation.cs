using LightS3.Model;

namespace LightS3.Endpoints;

/// <summary>
/// One resolved reference: records of <see cref="Source"/> hold in <see cref="Field"/> the id of a record of
/// <see cref="Target"/>. The target expands the referencing records under <see cref="RelatedName"/>.
/// </summary>
public sealed record Relation(EndpointRuntime Source, FieldModel Field, EndpointRuntime Target, string RelatedName)
{
    /// <summary>What deleting a target record does to the referencing records.</summary>
    public OnDelete OnDelete => Field.Ref!.OnDelete;

    /// <summary>Whether deleting a target record leaves work for <see cref="OnDeleteJobs"/>.</summary>
    public bool RunsInBackground => OnDelete is OnDelete.SetNull or OnDelete.Cascade;

    /// <inheritdoc />
    public override string ToString() => $"{Source.Model.Route}.{Field.Name} -> {Target.Model.Route}";
}
