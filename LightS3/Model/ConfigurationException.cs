namespace LightS3.Model;

/// <summary>
/// A declaration LightS3 cannot serve: raised at <c>Register</c> (or YAML load) time, never per request.
/// The message names the class and property (or YAML path) at fault.
/// </summary>
public sealed class ConfigurationException : LightS3Exception
{
    /// <summary>Creates an error with one or more problems.</summary>
    public ConfigurationException(IReadOnlyList<string> problems)
        : base(problems.Count == 1 ? problems[0] : "invalid configuration:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)))
    {
        Problems = problems;
    }

    /// <summary>Creates an error with one problem.</summary>
    public ConfigurationException(string problem) : this([problem]) { }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<string> Problems { get; }
}
