namespace LightS3;

/// <summary>What to do with JSON properties that are not declared fields.</summary>
public enum UnknownFieldPolicy
{
    /// <summary>422 naming each unknown property (default).</summary>
    Reject,
    /// <summary>Drop them silently.</summary>
    Ignore,
}
