namespace LightS3;

/// <summary>
/// Keeps a change feed of the endpoint's records (docs/realtime.md): every acknowledged write is listed by
/// <c>GET {route}/_changes</c> and streamed by <c>GET {route}/_events</c>. YAML: <c>meta: { changes: true }</c>.
/// Off by default: the feed costs one extra PUT per write.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class ChangeFeedAttribute : Attribute;
