using Microsoft.Extensions.Configuration;

namespace LightS3.Hosting;

/// <summary>
/// Applies the flat environment-style keys (<c>LIGHTS3_STORAGE</c>, <c>LIGHTS3_S3_BUCKET</c>, <c>AWS_ENDPOINT_URL</c>, …)
/// over the <c>LightS3</c> section, so a container can be configured with plain variables.
/// </summary>
internal static class EnvironmentSettings
{
    public static void Apply(IConfiguration config, LightS3Options o)
    {
        string? Get(string key) => config[key] is { Length: > 0 } v ? v : null;

        foreach (var variable in EnvironmentVariables.All)
            if (Get(variable.Name) is { } value) variable.Apply(o, value);
        if ((Get("AWS_ENDPOINT_URL_S3") ?? Get("AWS_ENDPOINT_URL")) is { } endpoint) o.S3.ServiceUrl ??= endpoint;
        if ((Get("AWS_REGION") ?? Get("AWS_DEFAULT_REGION")) is { } region) o.S3.Region = region;
        if (Get("AWS_ACCESS_KEY_ID") is { } key && Get("AWS_SECRET_ACCESS_KEY") is { } secret)
        {
            o.S3.AccessKeyId ??= key;
            o.S3.SecretAccessKey ??= secret;
        }
    }
}
