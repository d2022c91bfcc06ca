using System.Text.Json.Nodes;

namespace LightS3.Migrations;

/// <summary>What <c>change_type</c> does with a value that does not convert.</summary>
public enum ConversionFailure
{
    /// <summary>Stop the migration, naming the record (the default: nothing is lost silently).</summary>
    Fail,
    /// <summary>Store null.</summary>
    Null,
    /// <summary>Keep the value as it was.</summary>
    Keep,
}

/// <summary>
/// <c>change_type: { field, to, from, conversion, on_error }</c>: converts the field's value to <c>to</c> by the standard
/// conversion (<see cref="ValueConversion"/>), or by the expression <c>conversion</c> (which sees the old value as
/// <c>value</c>), then to <c>to</c>. Reverting converts back to <c>from</c>, so it needs <c>from</c>.
/// </summary>
public sealed class ChangeTypeStep(string name, string to, string? from, TransformExpression? conversion, ConversionFailure onError = ConversionFailure.Fail) : MigrationStep
{
    /// <inheritdoc />
    public override string Description => $"change_type {name} → {to}";

    /// <inheritdoc />
    public override bool Reversible => from is not null;

    /// <inheritdoc />
    public override IReadOnlyCollection<string> FieldsConverted => [name];

    /// <inheritdoc />
    public override void Apply(JsonObject record) => Convert(record, to, conversion);

    /// <inheritdoc />
    public override void Revert(JsonObject record) => Convert(record, from ?? throw new InvalidOperationException("change_type without 'from' cannot be reverted"), null);

    private void Convert(JsonObject record, string type, TransformExpression? expression)
    {
        if (!record.TryGetPropertyValue(name, out var value)) return;
        try
        {
            var input = expression is null ? value : expression.Evaluate(record, value);
            record[name] = ValueConversion.Convert(input?.DeepClone(), type);
        }
        catch (FormatException e)
        {
            switch (onError)
            {
                case ConversionFailure.Null: record[name] = null; break;
                case ConversionFailure.Keep: break;
                default: throw new MigrationRecordException($"change_type {name} → {type}: {e.Message}", e);
            }
        }
    }
}

/// <summary>A migration could not change one record (a value that does not convert, an expression that fails).</summary>
public sealed class MigrationRecordException(string message, Exception? inner = null) : LightS3Exception(message, inner);
