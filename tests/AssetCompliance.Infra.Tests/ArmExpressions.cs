using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AssetCompliance.Infra.Tests;

/// <summary>
/// Evaluates the ARM template expressions a compiled module uses, for given parameter values and copy index, so that a
/// test can say what a deployment of a concrete parameter list would create (which principal gets which scope)
/// rather than only how the expression reads. A subset: string and integer literals, property and index access, and
/// the functions <c>parameters variables format toLower replace length range map lambda lambdaVariables flatten
/// createObject coalesce tryGet copyIndex resourceId</c>. Anything else throws, so a template that starts using
/// another function fails the test instead of being misread. <c>resourceId(type, a, b)</c> is rendered
/// <c>type/a/b</c>.
/// </summary>
internal sealed class ArmExpressions(JsonElement template, IReadOnlyDictionary<string, object?> parameters)
{
    private abstract record Node;

    private sealed record Literal(object? Value) : Node;

    private sealed record Call(string Name, IReadOnlyList<Node> Arguments) : Node;

    private sealed record Member(Node Target, string Name) : Node;

    private sealed record Index(Node Target, Node Key) : Node;

    private sealed record Lambda(string Parameter, Node Body);

    /// <summary>A template value: a literal, or an expression in brackets (<c>[[</c> escapes a literal bracket).</summary>
    public object? Evaluate(string text, int? copyIndex = null) =>
        text.StartsWith('[') && !text.StartsWith("[[", StringComparison.Ordinal) && text.EndsWith(']')
            ? Eval(new Parser(text[1..^1]).ParseAll(), copyIndex, new Dictionary<string, object?>(StringComparer.Ordinal))
            : text;

    private object? FromJson(JsonElement element, int? copyIndex) => element.ValueKind switch
    {
        JsonValueKind.String => Evaluate(element.GetString()!, copyIndex),
        JsonValueKind.Number => element.GetInt64(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        JsonValueKind.Array => element.EnumerateArray().Select(e => FromJson(e, copyIndex)).ToList(),
        _ => element.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(p.Value, copyIndex), StringComparer.OrdinalIgnoreCase),
    };

    private object? Eval(Node node, int? copyIndex, Dictionary<string, object?> lambdas)
    {
        object? Arg(Call call, int i) => Eval(call.Arguments[i], copyIndex, lambdas);
        string Text(Call call, int i) => (string)Arg(call, i)!;
        switch (node)
        {
            case Literal literal:
                return literal.Value;
            case Member member:
                return ((IDictionary<string, object?>)Eval(member.Target, copyIndex, lambdas)!)[member.Name];
            case Index index:
                var target = Eval(index.Target, copyIndex, lambdas);
                var key = Eval(index.Key, copyIndex, lambdas);
                return target is IList<object?> list ? list[checked((int)Convert.ToInt64(key, CultureInfo.InvariantCulture))] : ((IDictionary<string, object?>)target!)[(string)key!];
            case Call { Name: "lambda" } call:
                return new Lambda((string)((Literal)call.Arguments[0]).Value!, call.Arguments[1]);
            case Call call:
                switch (call.Name.ToLowerInvariant())
                {
                    case "parameters":
                        return parameters[Text(call, 0)];
                    case "variables":
                        return FromJson(template.GetProperty("variables").GetProperty(Text(call, 0)), copyIndex);
                    case "lambdavariables":
                        return lambdas[Text(call, 0)];
                    case "copyindex":
                        return (long)(copyIndex ?? throw new InvalidOperationException("copyIndex() outside a copy loop"));
                    case "format":
                        return string.Format(CultureInfo.InvariantCulture, Text(call, 0), [.. call.Arguments.Skip(1).Select(a => Eval(a, copyIndex, lambdas))]);
                    case "tolower":
                        return Text(call, 0).ToLowerInvariant();
                    case "replace":
                        return Text(call, 0).Replace(Text(call, 1), Text(call, 2), StringComparison.Ordinal);
                    case "length":
                        return Arg(call, 0) switch { string s => (long)s.Length, IList<object?> l => (long)l.Count, var v => (long)((IDictionary<string, object?>)v!).Count };
                    case "range":
                        var (start, count) = ((long)Arg(call, 0)!, (long)Arg(call, 1)!);
                        return Enumerable.Range(0, checked((int)count)).Select(i => (object?)(start + i)).ToList();
                    case "map":
                        var lambda = (Lambda)Arg(call, 1)!;
                        return ((IList<object?>)Arg(call, 0)!).Select(item => Eval(lambda.Body, copyIndex, new Dictionary<string, object?>(lambdas) { [lambda.Parameter] = item })).ToList();
                    case "flatten":
                        return ((IList<object?>)Arg(call, 0)!).SelectMany(inner => (IList<object?>)inner!).ToList();
                    case "createobject":
                        var created = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                        for (var i = 0; i < call.Arguments.Count; i += 2) created[Text(call, i)] = Arg(call, i + 1);
                        return created;
                    case "coalesce":
                        return call.Arguments.Select(a => Eval(a, copyIndex, lambdas)).FirstOrDefault(v => v is not null);
                    case "tryget":
                        return ((IDictionary<string, object?>)Arg(call, 0)!).TryGetValue(Text(call, 1), out var found) ? found : null;
                    case "resourceid":
                        return string.Join('/', call.Arguments.Select(a => (string)Eval(a, copyIndex, lambdas)!));
                    default:
                        throw new NotSupportedException($"ARM function {call.Name} is not evaluated by this test helper");
                }

            default:
                throw new NotSupportedException(node.GetType().Name);
        }
    }

    private sealed class Parser(string text)
    {
        private int _at;

        public Node ParseAll()
        {
            var node = Parse();
            Skip();
            return _at == text.Length ? node : throw new FormatException($"unexpected '{text[_at..]}' in {text}");
        }

        private Node Parse()
        {
            var node = Primary();
            while (true)
            {
                Skip();
                if (Peek('.'))
                {
                    _at++;
                    node = new Member(node, Identifier());
                }
                else if (Peek('['))
                {
                    _at++;
                    var key = Parse();
                    Expect(']');
                    node = new Index(node, key);
                }
                else
                {
                    return node;
                }
            }
        }

        private Node Primary()
        {
            Skip();
            if (Peek('\''))
            {
                var value = new StringBuilder();
                _at++;
                while (true)
                {
                    var c = text[_at++];
                    if (c == '\'' && _at < text.Length && text[_at] == '\'')
                    {
                        value.Append('\'');
                        _at++;
                    }
                    else if (c == '\'')
                    {
                        return new Literal(value.ToString());
                    }
                    else
                    {
                        value.Append(c);
                    }
                }
            }

            if (char.IsAsciiDigit(text[_at]) || text[_at] == '-')
            {
                var start = _at++;
                while (_at < text.Length && char.IsAsciiDigit(text[_at])) _at++;
                return new Literal(long.Parse(text[start.._at], CultureInfo.InvariantCulture));
            }

            var name = Identifier();
            Expect('(');
            var arguments = new List<Node>();
            Skip();
            if (!Peek(')'))
            {
                do
                {
                    arguments.Add(Parse());
                    Skip();
                }
                while (Peek(',') && _at++ >= 0);
            }

            Expect(')');
            return name switch
            {
                "true" => new Literal(true),
                "false" => new Literal(false),
                "null" => new Literal(null),
                _ => new Call(name, arguments),
            };
        }

        private string Identifier()
        {
            Skip();
            var start = _at;
            while (_at < text.Length && (char.IsAsciiLetterOrDigit(text[_at]) || text[_at] == '_')) _at++;
            return _at > start ? text[start.._at] : throw new FormatException($"an identifier expected at {_at} in {text}");
        }

        private bool Peek(char c) => _at < text.Length && text[_at] == c;

        private void Expect(char c)
        {
            Skip();
            if (!Peek(c)) throw new FormatException($"'{c}' expected at {_at} in {text}");
            _at++;
        }

        private void Skip()
        {
            while (_at < text.Length && text[_at] == ' ') _at++;
        }
    }
}
