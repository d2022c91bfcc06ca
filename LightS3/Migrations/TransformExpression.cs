using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LightS3.Migrations;

/// <summary>
/// The small expression language of <c>transform</c> and <c>change_type … conversion</c> (docs/migrations.md): field
/// names (top-level), <c>value</c> (the old value, in a conversion), numbers, <c>'text'</c> or <c>"text"</c>,
/// <c>true</c>/<c>false</c>/<c>null</c>, <c>+ - * /</c> (<c>+</c> joins text when either side is text), parentheses, and
/// the functions <c>lower upper trim len string integer number round concat coalesce</c>. Parsed once, when the
/// configuration is read, so a syntax error is reported at its YAML line.
/// </summary>
public sealed class TransformExpression
{
    private readonly Node _root;

    private TransformExpression(string text, Node root)
    {
        Text = text;
        _root = root;
    }

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> with the position of a syntax error.</summary>
    public static TransformExpression Parse(string text)
    {
        var parser = new Parser(text);
        var root = parser.Expression();
        parser.End();
        return new TransformExpression(text, root);
    }

    /// <summary>Evaluates over <paramref name="record"/>; <paramref name="value"/> is what <c>value</c> names. Throws <see cref="FormatException"/> when a value does not fit an operator.</summary>
    public JsonNode? Evaluate(JsonObject record, JsonNode? value = null) => ToNode(_root.Eval(new Scope(record, value)));

    private sealed record Scope(JsonObject Record, JsonNode? Value);

    private abstract record Node
    {
        public abstract object? Eval(Scope scope);
    }

    private sealed record Literal(object? Value) : Node
    {
        public override object? Eval(Scope scope) => Value;
    }

    private sealed record Name(string Field) : Node
    {
        public override object? Eval(Scope scope) =>
            FromNode(Field == "value" && !scope.Record.ContainsKey("value") ? scope.Value : scope.Record[Field]);
    }

    private sealed record Negate(Node Operand) : Node
    {
        public override object? Eval(Scope scope) => -Number(Operand.Eval(scope), "-");
    }

    private sealed record Binary(char Op, Node Left, Node Right) : Node
    {
        public override object? Eval(Scope scope)
        {
            var (l, r) = (Left.Eval(scope), Right.Eval(scope));
            if (Op == '+' && (l is string || r is string)) return AsText(l) + AsText(r);
            var (a, b) = (Number(l, Op.ToString()), Number(r, Op.ToString()));
            return Op switch
            {
                '+' => a + b,
                '-' => a - b,
                '*' => a * b,
                _ => b == 0 ? throw new FormatException("division by zero") : a / b,
            };
        }
    }

    private sealed record Call(string Function, IReadOnlyList<Node> Args) : Node
    {
        public override object? Eval(Scope scope)
        {
            var args = Args.Select(a => a.Eval(scope)).ToList();
            object? One() => args.Count == 1 ? args[0] : throw new FormatException($"{Function}() takes one argument");
            return Function switch
            {
                "lower" => One() is { } s ? AsText(s).ToLowerInvariant() : null,
                "upper" => One() is { } s ? AsText(s).ToUpperInvariant() : null,
                "trim" => One() is { } s ? AsText(s).Trim() : null,
                "len" => One() is { } s ? (decimal)AsText(s).Length : null,
                "string" => One() is { } s ? AsText(s) : null,
                "integer" => One() is { } s ? decimal.Truncate(Number(s, "integer")) : null,
                "number" => One() is { } s ? Number(s, "number") : null,
                "round" => args.Count is 1 or 2 && args[0] is { } x
                    ? Math.Round(Number(x, "round"), args.Count == 2 ? (int)Number(args[1], "round") : 0, MidpointRounding.AwayFromZero)
                    : args.Count is 1 or 2 ? null : throw new FormatException("round() takes one or two arguments"),
                "concat" => string.Concat(args.Select(AsText)),
                "coalesce" => args.FirstOrDefault(a => a is not null),
                _ => throw new FormatException($"unknown function '{Function}'"),
            };
        }
    }

    private static readonly HashSet<string> Functions = ["lower", "upper", "trim", "len", "string", "integer", "number", "round", "concat", "coalesce"];

    private static object? FromNode(JsonNode? node) => node switch
    {
        null => null,
        // (object) keeps the arms' own types: JsonNode's implicit conversions would otherwise wrap them all back into nodes
        JsonValue v when v.GetValueKind() == JsonValueKind.String => (object)v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => decimal.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture),
        JsonValue v when v.GetValueKind() == JsonValueKind.True => true,
        JsonValue v when v.GetValueKind() == JsonValueKind.False => false,
        _ => node.DeepClone(),
    };

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        decimal d when d == decimal.Truncate(d) && d >= long.MinValue && d <= long.MaxValue => JsonValue.Create((long)d),
        decimal d => JsonValue.Create(d),
        bool b => JsonValue.Create(b),
        JsonNode n => n,
        _ => throw new FormatException($"unexpected value {value}"),
    };

    private static string AsText(object? value) => value switch
    {
        null => "",
        string s => s,
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        JsonNode n => n.ToJsonString(),
        _ => value.ToString() ?? "",
    };

    private static decimal Number(object? value, string op) => value switch
    {
        decimal d => d,
        string s when decimal.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => throw new FormatException($"'{op}' needs a number, got {(value is null ? "null" : "'" + AsText(value) + "'")}"),
    };

    private sealed class Parser(string text)
    {
        private int _at;

        public void End()
        {
            Skip();
            if (_at < text.Length) throw Error($"unexpected '{text[_at]}'");
        }

        public Node Expression()
        {
            var left = Term();
            while (Peek() is '+' or '-') left = new Binary(text[_at++], left, Term());
            return left;
        }

        private Node Term()
        {
            var left = Unary();
            while (Peek() is '*' or '/') left = new Binary(text[_at++], left, Unary());
            return left;
        }

        private Node Unary()
        {
            if (Peek() == '-')
            {
                _at++;
                return new Negate(Unary());
            }
            return Primary();
        }

        private Node Primary()
        {
            var c = Peek() ?? throw Error("expression ends too early");
            if (c == '(')
            {
                _at++;
                var inner = Expression();
                Expect(')');
                return inner;
            }
            if (c is '\'' or '"')
            {
                var end = text.IndexOf(c, _at + 1);
                if (end < 0) throw Error("unterminated text");
                var s = text[(_at + 1)..end];
                _at = end + 1;
                return new Literal(s);
            }
            if (char.IsDigit(c) || c == '.')
            {
                var start = _at;
                while (_at < text.Length && (char.IsDigit(text[_at]) || text[_at] == '.')) _at++;
                return decimal.TryParse(text[start.._at], NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? new Literal(d) : throw Error($"bad number '{text[start.._at]}'");
            }
            if (char.IsLetter(c) || c == '_')
            {
                var start = _at;
                while (_at < text.Length && (char.IsLetterOrDigit(text[_at]) || text[_at] == '_')) _at++;
                var name = text[start.._at];
                if (Peek() == '(')
                {
                    if (!Functions.Contains(name)) throw Error($"unknown function '{name}' (known: {string.Join(", ", Functions)})");
                    _at++;
                    var args = new List<Node>();
                    if (Peek() != ')')
                    {
                        args.Add(Expression());
                        while (Peek() == ',') { _at++; args.Add(Expression()); }
                    }
                    Expect(')');
                    return new Call(name, args);
                }
                return name switch
                {
                    "true" => new Literal(true),
                    "false" => new Literal(false),
                    "null" => new Literal(null),
                    _ => new Name(name),
                };
            }
            throw Error($"unexpected '{c}'");
        }

        private void Expect(char c)
        {
            if (Peek() != c) throw Error($"'{c}' expected");
            _at++;
        }

        private char? Peek()
        {
            Skip();
            return _at < text.Length ? text[_at] : null;
        }

        private void Skip()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at])) _at++;
        }

        private FormatException Error(string message) => new($"{message} at position {_at + 1} of '{text}'");
    }
}
