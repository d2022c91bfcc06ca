using LightS3.Model;
using YamlDotNet.RepresentationModel;

namespace LightS3.Yaml.Config;

public sealed partial class YamlConfigReader
{
    /// <summary>
    /// Reads <c>meta: { soft_delete: true | { retention: 30d }, history: true | { keep: 50, max_age: 30d }, track_actors: true,
    /// ttl: 7d, changes: true }</c> and a field's <c>expires: true</c>.
    /// </summary>
    private TimeSpec ReadTime(YamlMappingNode? meta, string metaPath, YamlNode? fieldsNode, string fieldsPath)
    {
        var soft = false;
        TimeSpan? retention = null;
        HistorySpec? history = null;
        if (meta is not null && Child(meta, "soft_delete") is { } sd)
        {
            if (sd is YamlMappingNode sdMap)
            {
                CheckKeys(sdMap, $"{metaPath}.soft_delete", ["retention"]);
                soft = true;
                if (Child(sdMap, "retention") is { } r) retention = Duration(r, $"{metaPath}.soft_delete.retention");
            }
            else soft = Bool(sd, $"{metaPath}.soft_delete") == true;
        }
        if (meta is not null && Child(meta, "history") is { } h)
        {
            if (h is YamlMappingNode hMap)
            {
                CheckKeys(hMap, $"{metaPath}.history", ["keep", "max_age"]);
                var keep = Child(hMap, "keep") is { } k ? Int(k, $"{metaPath}.history.keep") : null;
                if (keep is < 1) _problems.Add($"{metaPath}.history.keep", "must be at least 1", Child(hMap, "keep"));
                history = new HistorySpec(keep is >= 1 ? keep.Value : HistorySpec.DefaultKeep,
                    Child(hMap, "max_age") is { } a ? Duration(a, $"{metaPath}.history.max_age") : null);
            }
            else if (Bool(h, $"{metaPath}.history") == true) history = new HistorySpec();
        }
        string? expiresField = null;
        if (fieldsNode is YamlMappingNode fields)
            foreach (var (key, value) in fields.Children)
                if (value is YamlMappingNode f && Child(f, "expires") is { } e && Bool(e, $"{fieldsPath}.{key}.expires") == true)
                {
                    if (expiresField is not null) _problems.Add($"{fieldsPath}.{key}.expires", $"only one field may be the expiry ('{expiresField}' is)", e);
                    expiresField ??= ((YamlScalarNode)key).Value;
                }
        return new TimeSpec
        {
            SoftDelete = soft,
            SoftDeleteRetention = retention,
            History = history,
            TrackActors = meta is not null && Child(meta, "track_actors") is { } ta && Bool(ta, $"{metaPath}.track_actors") == true,
            Ttl = meta is not null && Child(meta, "ttl") is { } ttl ? Duration(ttl, $"{metaPath}.ttl") : null,
            ExpiresField = expiresField,
            Changes = meta is not null && Child(meta, "changes") is { } ch && Bool(ch, $"{metaPath}.changes") == true,
        };
    }

    private TimeSpan? Duration(YamlNode node, string path)
    {
        var text = Scalar(node, path);
        if (text is null) return null;
        if (Durations.TryParse(text, out var value)) return value;
        _problems.Add(path, $"'{text}' is not a duration (use e.g. 7d, 12h, 30m, 45s)", node);
        return null;
    }
}
