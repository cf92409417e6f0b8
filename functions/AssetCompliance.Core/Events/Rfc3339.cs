using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AssetCompliance.Core.Events;

/// <summary>
/// RFC 3339 timestamps exactly as the <c>date-time</c> production of section 5.6 defines them (which JSON Schema's
/// <c>date-time</c> format follows): <c>YYYY-MM-DDThh:mm:ss</c>, an optional fraction of any length, and an offset
/// that is required: <c>Z</c> or <c>±hh:mm</c>. <c>T</c> and <c>Z</c> may be lower case (ABNF literals are
/// case-insensitive). Nothing else is read: no missing seconds, no missing offset, no space for <c>T</c>, no
/// <c>+hhmm</c>. Parsing never consults the host's time zone: the instant is computed from the text alone and
/// returned in UTC.
/// </summary>
/// <remarks>
/// Stricter than the grammar where .NET cannot represent the value: years before 0001 or after 9999 in UTC are
/// refused, fractions beyond 100 ns are truncated, and a leap second (<c>23:59:60</c> UTC) is read as the last tick
/// of <c>23:59:59</c>.
/// </remarks>
public static class Rfc3339
{
    /// <summary>What the contract says about its timestamps, for error messages.</summary>
    public const string Rule = "must be an RFC 3339 date-time with seconds and an offset, such as '2026-11-20T09:00:00Z' or '2026-11-20T10:00:00+01:00'";

    /// <summary>Reads <paramref name="text"/> as an RFC 3339 <c>date-time</c>; the instant comes back in UTC.</summary>
    public static bool TryParse(string? text, out DateTimeOffset instant)
    {
        instant = default;
        if (text is null || text.Length < 20)
        {
            return false;
        }

        var s = text.AsSpan();
        if (!Digits(s, 0, 4, out var year) || s[4] != '-' || !Digits(s, 5, 2, out var month) || s[7] != '-' || !Digits(s, 8, 2, out var day) ||
            s[10] is not ('T' or 't') ||
            !Digits(s, 11, 2, out var hour) || s[13] != ':' || !Digits(s, 14, 2, out var minute) || s[16] != ':' || !Digits(s, 17, 2, out var second))
        {
            return false;
        }

        var i = 19;
        long fractionTicks = 0;
        if (s[i] == '.')
        {
            var start = ++i;
            var scale = TimeSpan.TicksPerSecond;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                scale /= 10; // beyond 7 digits the scale reaches 0: finer than a tick is truncated
                fractionTicks += (s[i] - '0') * scale;
                i++;
            }

            if (i == start)
            {
                return false;
            }
        }

        if (i >= s.Length)
        {
            return false; // the offset is required
        }

        int offsetMinutes;
        if (s[i] is 'Z' or 'z')
        {
            offsetMinutes = 0;
            i++;
        }
        else if (s[i] is '+' or '-' && i + 6 == s.Length && Digits(s, i + 1, 2, out var offsetHours) && s[i + 3] == ':' && Digits(s, i + 4, 2, out var offsetRest) &&
                 offsetHours <= 23 && offsetRest <= 59)
        {
            offsetMinutes = (s[i] == '-' ? -1 : 1) * ((offsetHours * 60) + offsetRest);
            i += 6;
        }
        else
        {
            return false;
        }

        if (i != s.Length || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) ||
            hour > 23 || minute > 59 || second > 60)
        {
            return false;
        }

        // Everything from here is arithmetic on ticks, so no value of the fields can throw.
        var leap = second == 60;
        var local = new DateTime(year, month, day, hour, minute, leap ? 59 : second, DateTimeKind.Unspecified).Ticks + fractionTicks;
        var utc = local - (offsetMinutes * TimeSpan.TicksPerMinute);
        if (leap)
        {
            // A leap second is inserted at the end of a UTC day only.
            if ((utc / TimeSpan.TicksPerSecond) % 86_400 != 86_399)
            {
                return false;
            }

            utc = ((utc / TimeSpan.TicksPerSecond) + 1) * TimeSpan.TicksPerSecond - 1;
        }

        if (utc < DateTime.MinValue.Ticks || utc > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        instant = new DateTimeOffset(utc, TimeSpan.Zero);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> s, int start, int count, out int value)
    {
        value = 0;
        if (start + count > s.Length)
        {
            return false;
        }

        for (var k = start; k < start + count; k++)
        {
            if (!char.IsAsciiDigit(s[k]))
            {
                return false;
            }

            value = (value * 10) + (s[k] - '0');
        }

        return true;
    }
}

/// <summary>
/// Reads a JSON string as an RFC 3339 date-time through <see cref="Rfc3339.TryParse"/> (offset required, never the
/// host's time zone), for request bodies that carry instants. Anything else is a <see cref="JsonException"/>
/// with <see cref="Rfc3339.Rule"/> as its message; the serializer adds the JSON path (<c>$.expiresAt</c>). Writes the
/// instant in UTC with a <c>Z</c>.
/// </summary>
public sealed class Rfc3339JsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && Rfc3339.TryParse(reader.GetString(), out var instant)
            ? instant
            : throw new JsonException(Rfc3339.Rule);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
}
