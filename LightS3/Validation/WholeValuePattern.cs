using System.Text.RegularExpressions;

namespace LightS3.Validation;

/// <summary>
/// A field's <c>Pattern</c> as validation applies it: it must match the <em>whole</em> value (the declared pattern is
/// wrapped as <c>\A(?:pattern)\z</c>, so <c>$</c> can no longer accept a trailing newline and an unanchored pattern
/// cannot match just a part), run by the linear-time <see cref="RegexOptions.NonBacktracking"/> engine whenever the
/// pattern allows it (no backreferences, lookarounds, atomic groups or conditionals), so no input can make it
/// slow. Other patterns run on the backtracking engine under a timeout; running out of time is a failed match
/// (a 422), never an error.
/// </summary>
internal sealed class WholeValuePattern
{
    /// <summary>Time a backtracking pattern may take on one value.</summary>
    public static readonly TimeSpan BacktrackingTimeout = TimeSpan.FromMilliseconds(100);

    private const RegexOptions Kept = RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.Singleline
                                      | RegexOptions.IgnorePatternWhitespace | RegexOptions.ExplicitCapture;

    private readonly Regex _regex;

    /// <summary>Wraps <paramref name="declared"/> (its source and its options, bar those incompatible with whole-value matching).</summary>
    public WholeValuePattern(Regex declared)
    {
        Declared = declared;
        var options = (declared.Options & Kept) | RegexOptions.CultureInvariant;
        // with IgnorePatternWhitespace a trailing "# comment" would swallow the closing group: end it with a newline
        var source = @"\A(?:" + declared + (options.HasFlag(RegexOptions.IgnorePatternWhitespace) ? "\n" : "") + @")\z";
        try
        {
            _regex = new Regex(source, options | RegexOptions.NonBacktracking);
        }
        catch (NotSupportedException)
        {
            _regex = new Regex(source, options, BacktrackingTimeout);
        }
    }

    /// <summary>The pattern as declared (for messages).</summary>
    public Regex Declared { get; }

    /// <summary>Whether the pattern runs on the linear-time engine.</summary>
    public bool IsLinear => _regex.Options.HasFlag(RegexOptions.NonBacktracking); // read from the engine, not assumed

    /// <summary>Whether the whole of <paramref name="value"/> matches; false when the match ran out of time.</summary>
    public bool Matches(string value)
    {
        try
        {
            return _regex.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
