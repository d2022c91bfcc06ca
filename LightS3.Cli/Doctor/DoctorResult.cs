namespace LightS3.Cli.Doctor;

/// <summary>How a check came out.</summary>
public enum DoctorStatus
{
    /// <summary>As LightS3 needs it.</summary>
    Ok,
    /// <summary>Works, with a cost or a caveat worth knowing.</summary>
    Warn,
    /// <summary>LightS3 will not work correctly (or at all) until it is fixed.</summary>
    Fail,
    /// <summary>Not run, because an earlier check failed.</summary>
    Skipped,
}

/// <summary>One row of <c>lights3 doctor</c>: what was checked, what was found, and what it means for LightS3.</summary>
public sealed record DoctorResult(string Check, DoctorStatus Status, string Result, string Meaning)
{
    /// <summary>The status as printed.</summary>
    public string StatusText => Status switch
    {
        DoctorStatus.Ok => "ok",
        DoctorStatus.Warn => "warn",
        DoctorStatus.Fail => "FAIL",
        _ => "skipped",
    };
}
