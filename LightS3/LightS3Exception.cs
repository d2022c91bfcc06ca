namespace LightS3;

/// <summary>
/// Base of every error LightS3 raises on purpose: configuration errors, missing or conflicting records, invalid input,
/// storage failures. Domain code throws these (never HTTP statuses); one <c>IExceptionHandler</c>
/// (<see cref="Http.LightS3ExceptionHandler"/>) turns them into problem responses, for endpoints, the auth module and any
/// host code alike. Anything else reaching it is a bug: a logged 500.
/// </summary>
public abstract class LightS3Exception(string message, Exception? inner = null) : Exception(message, inner);
