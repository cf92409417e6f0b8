using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace AssetCompliance.Core.Events;

/// <summary>
/// Checks a body at the level of bytes and tokens before any field is read: a leading UTF-8 byte-order mark is
/// skipped; bytes that are not UTF-8, strings that are not Unicode (a lone UTF-16 surrogate, escaped or raw), a
/// property name that appears twice in one object, and nesting past the limit are errors with their JSON paths.
/// System.Text.Json reads such bodies without complaint and throws only when a string is read, which is how one
/// message used to fail a whole batch. Bad strings are then overwritten (U+FFFD) in a private copy, so that the
/// field-level checks can still run and report every other error, and nothing downstream can throw on them.
/// </summary>
internal static class JsonText
{
    /// <summary>More errors than this are summarised, so that one message cannot make a rejection too large to store.</summary>
    public const int MaxErrors = 50;

    /// <summary>Path segments longer than this are cut (a property name can be a megabyte long).</summary>
    private const int MaxPathSegment = 64;

    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>
    /// The outcome: <see cref="Json"/> is the body without its BOM, with bad strings replaced; <see cref="Readable"/>
    /// is false when the text is not JSON at all (or has too many errors), and then only <see cref="Errors"/> counts.
    /// </summary>
    public sealed record Inspection(ReadOnlyMemory<byte> Json, List<ValidationError> Errors, bool Readable);

    /// <summary>The body without a leading UTF-8 byte-order mark, which some Windows tools write and JSON does not allow.</summary>
    public static ReadOnlyMemory<byte> WithoutByteOrderMark(ReadOnlyMemory<byte> body) =>
        body.Span.StartsWith(ByteOrderMark) ? body[ByteOrderMark.Length..] : body;

    /// <summary>The error for a value nested past the limit: the contract's own words, whoever reads the body.</summary>
    public static string NestingRule(int maxDepth) =>
        $"nests deeper than {maxDepth} levels of objects and arrays, the contract's limit for one event";

    public static Inspection Inspect(ReadOnlyMemory<byte> body, int maxDepth)
    {
        var offset = body.Length;
        var json = WithoutByteOrderMark(body);
        offset -= json.Length; // reported byte offsets count from the start of the body as received
        var errors = new Errors();
        byte[]? copy = null;

        // Invalid UTF-8 is replaced by '?' byte for byte, so that positions hold and the tokens can still be read.
        List<(int Start, bool Claimed)>? invalid = null;
        if (!Utf8.IsValid(json.Span))
        {
            copy = json.ToArray();
            invalid = [];
            for (var i = 0; i < copy.Length;)
            {
                var status = Rune.DecodeFromUtf8(copy.AsSpan(i), out _, out var consumed);
                if (status != OperationStatus.Done)
                {
                    invalid.Add((i, false));
                    copy.AsSpan(i, consumed).Fill((byte)'?');
                }

                i += Math.Max(consumed, 1);
            }

            json = copy;
        }

        var readable = true;
        var frames = new List<Frame>();
        // One level more than allowed, so that the check below, which names the contract's limit and the path, comes
        // before the reader's own error (which would call the body "not valid JSON").
        var reader = new Utf8JsonReader(json.Span, new JsonReaderOptions { MaxDepth = maxDepth + 1 });
        try
        {
            while (readable && reader.Read() && !errors.Full)
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        var containerPath = ValuePath(frames);
                        if (reader.CurrentDepth >= maxDepth)
                        {
                            errors.Add(containerPath, NestingRule(maxDepth));
                            readable = false;
                            break;
                        }

                        frames.Add(new Frame(containerPath, reader.TokenType == JsonTokenType.StartObject));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        var frame = frames[^1];
                        var (name, valid) = ReadString(ref reader, ref copy, json);
                        // A name that is not Unicode is shown as sent, escapes and all: $['\ud800'].
                        var display = valid ? name : Encoding.UTF8.GetString(reader.ValueSpan);
                        var path = frame.Path + (valid ? Segment(display) : EscapedSegment(display));
                        CheckString(ref reader, invalid, valid, path, "property name", errors, offset);
                        if (!frame.Names.Add(valid ? name : "\0" + display))
                        {
                            errors.Add(path, "appears more than once in this object; each property may be given once");
                        }

                        frame.PendingName = display;
                        break;
                    case JsonTokenType.String:
                        var stringPath = ValuePath(frames);
                        var (_, stringValid) = ReadString(ref reader, ref copy, json);
                        CheckString(ref reader, invalid, stringValid, stringPath, "text", errors, offset);
                        break;
                    default:
                        ValuePath(frames);
                        break;
                }
            }
        }
        catch (JsonException e)
        {
            readable = false;
            var reason = e.Message.IndexOf(" LineNumber:", StringComparison.Ordinal) is var cut and > 0 ? e.Message[..cut] : e.Message;
            var where = e.LineNumber is { } line ? $" at line {line + 1}, position {e.BytePositionInLine + 1}" : string.Empty;
            errors.Add("$", $"body is not valid JSON{where}: {reason}");
        }

        foreach (var (start, claimed) in invalid ?? [])
        {
            if (!claimed)
            {
                errors.Add("$", $"body is not valid UTF-8 at byte offset {start + offset}");
            }
        }

        if (errors.Full)
        {
            readable = false;
        }

        return new Inspection(copy ?? json, errors.List, readable);

        static string ValuePath(List<Frame> frames)
        {
            if (frames.Count == 0)
            {
                return "$";
            }

            var parent = frames[^1];
            return parent.IsObject ? parent.Path + Segment(parent.PendingName ?? string.Empty) : $"{parent.Path}[{parent.Index++}]";
        }
    }

    /// <summary>
    /// The token's text, or false when it is not valid UTF-16 (a lone surrogate escape); such escapes are then
    /// overwritten with <c>\uFFFD</c> in the copy (same length, so positions hold).
    /// </summary>
    private static (string Text, bool Valid) ReadString(ref Utf8JsonReader reader, ref byte[]? copy, ReadOnlyMemory<byte> json)
    {
        if (!reader.ValueIsEscaped)
        {
            return (reader.TokenType == JsonTokenType.PropertyName ? reader.GetString()! : string.Empty, true);
        }

        try
        {
            return (reader.GetString()!, true);
        }
        catch (InvalidOperationException)
        {
            copy ??= json.ToArray();
            var start = (int)reader.TokenStartIndex + 1; // after the opening quote
            ReplaceLoneSurrogateEscapes(copy.AsSpan(start, reader.ValueSpan.Length));
            return (string.Empty, false);
        }
    }

    private static void CheckString(ref Utf8JsonReader reader, List<(int Start, bool Claimed)>? invalid, bool validUtf16, string path, string what, Errors errors, int offset)
    {
        var start = (int)reader.TokenStartIndex + 1;
        var end = start + reader.ValueSpan.Length;
        if (invalid is not null)
        {
            var reported = false; // one error per string, at its first bad byte
            for (var k = 0; k < invalid.Count; k++)
            {
                if (invalid[k].Start >= start && invalid[k].Start < end)
                {
                    if (!reported)
                    {
                        errors.Add(path, $"{what} is not valid UTF-8 (byte offset {invalid[k].Start + offset})");
                        reported = true;
                    }

                    invalid[k] = (invalid[k].Start, true);
                }
            }
        }

        if (!validUtf16)
        {
            errors.Add(path, $"{what} is not valid Unicode: it holds a lone UTF-16 surrogate escape such as \\ud800 without its pair");
        }
    }

    /// <summary>Overwrites each <c>\uXXXX</c> escape of an unpaired surrogate with <c>\uFFFD</c>; pairs and other escapes stay.</summary>
    private static void ReplaceLoneSurrogateEscapes(Span<byte> value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '\\' || i + 1 >= value.Length)
            {
                continue;
            }

            if (value[i + 1] != 'u')
            {
                i++; // a two-character escape such as \\ or \"
                continue;
            }

            if (!TryHex(value, i + 2, out var unit))
            {
                continue;
            }

            if (char.IsHighSurrogate((char)unit) && i + 11 < value.Length && value[i + 6] == '\\' && value[i + 7] == 'u' &&
                TryHex(value, i + 8, out var next) && char.IsLowSurrogate((char)next))
            {
                i += 11; // a proper pair
                continue;
            }

            if (char.IsSurrogate((char)unit))
            {
                "FFFD"u8.CopyTo(value[(i + 2)..]);
            }

            i += 5;
        }
    }

    private static bool TryHex(ReadOnlySpan<byte> value, int start, out int unit)
    {
        unit = 0;
        if (start + 4 > value.Length)
        {
            return false;
        }

        for (var k = start; k < start + 4; k++)
        {
            var digit = HexValue(value[k]);
            if (digit < 0)
            {
                return false;
            }

            unit = (unit << 4) | digit;
        }

        return true;
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    /// <summary>A segment for a name given as its JSON escaped text (which is then already the escaped form).</summary>
    private static string EscapedSegment(string escaped) =>
        "['" + Cut(escaped).Replace("'", "\\'", StringComparison.Ordinal) + "']";

    private static string Cut(string name) => name.Length > MaxPathSegment ? name[..MaxPathSegment] + "…" : name;

    /// <summary>
    /// A JSONPath segment: <c>.name</c> for plain names, else <c>['…']</c> with the escapes of RFC 9535's normalized
    /// paths; cut when very long.
    /// </summary>
    internal static string Segment(string name)
    {
        var cut = Cut(name);
        var plain = name[..Math.Min(name.Length, MaxPathSegment)];
        if (plain.Length > 0 && (char.IsAsciiLetter(plain[0]) || plain[0] == '_') && plain.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            return "." + cut;
        }

        var builder = new StringBuilder("['");
        foreach (var c in cut)
        {
            _ = c switch
            {
                '\'' => builder.Append("\\'"),
                '\\' => builder.Append("\\\\"),
                _ when char.IsControl(c) || char.IsSurrogate(c) => builder.Append($"\\u{(int)c:x4}"),
                _ => builder.Append(c),
            };
        }

        return builder.Append("']").ToString();
    }

    private sealed class Frame(string path, bool isObject)
    {
        public string Path { get; } = path;
        public bool IsObject { get; } = isObject;
        public int Index { get; set; }
        public string? PendingName { get; set; }
        public HashSet<string> Names { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>Errors in document order, at most <see cref="MaxErrors"/> and then one line saying there were more.</summary>
    internal sealed class Errors
    {
        public List<ValidationError> List { get; } = [];

        public bool Full => List.Count > MaxErrors;

        public void Add(string path, string message)
        {
            if (List.Count < MaxErrors)
            {
                List.Add(new ValidationError(path, message));
            }
            else if (List.Count == MaxErrors)
            {
                List.Add(new ValidationError("$", $"more than {MaxErrors} errors; the rest are not listed"));
            }
        }
    }
}
