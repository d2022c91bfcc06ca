namespace LightS3.Jobs;

/// <summary>
/// Settings of leased background jobs (section <c>LightS3:Jobs</c>; see docs/deployment.md): how long a lease lasts
/// without renewal, and this instance's holder id.
/// </summary>
public sealed class JobOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "LightS3:Jobs";

    /// <summary>
    /// How long a lease stays valid without renewal (default 30 s). A holder renews it every third of this; another
    /// instance takes a job over once it expired, so this bounds the pause after an instance dies. It must exceed the
    /// clock skew between instances.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>This instance's holder id in lease objects; null = host name, process id and a random suffix.</summary>
    public string? InstanceId { get; set; }
}
