using System.Reflection;
using System.Text.Json;
using LightS3.Model;

namespace LightS3.Endpoints;

/// <summary>Reads <see cref="TimeSpec"/> from an endpoint class's attributes.</summary>
internal static class TimeSpecReader
{
    /// <summary>The time settings of <paramref name="type"/>.</summary>
    public static TimeSpec Read(Type type)
    {
        var at = $"class {type.Name}";
        var soft = type.GetCustomAttribute<SoftDeleteAttribute>();
        var history = type.GetCustomAttribute<HistoryAttribute>();
        var expires = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).FirstOrDefault(p => p.GetCustomAttribute<ExpiresAtAttribute>() is not null);
        return new TimeSpec
        {
            SoftDelete = soft is not null,
            SoftDeleteRetention = soft?.Retention is { } r ? Durations.Parse(r, $"{at}: [SoftDelete] Retention") : null,
            History = history is null ? null : new HistorySpec(history.Keep, history.MaxAge is { } a ? Durations.Parse(a, $"{at}: [History] MaxAge") : null),
            TrackActors = type.GetCustomAttribute<TrackActorsAttribute>() is not null,
            Ttl = type.GetCustomAttribute<TtlAttribute>() is { } ttl ? Durations.Parse(ttl.Duration, $"{at}: [Ttl]") : null,
            Changes = type.GetCustomAttribute<ChangeFeedAttribute>() is not null,
            ExpiresField = expires is null ? null : expires.GetCustomAttribute<FieldAttribute>()?.Name ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(expires.Name),
        };
    }
}
