namespace AssetCompliance.Azure.Tables;

/// <summary>
/// How a rejected body is kept: cut to what one transaction can store, then into property values. A property holds at
/// most 64 KiB and an entity 1 MiB, so a long body is split across numbered properties and, past one row's share,
/// across continuation rows written in the same transaction. Sizes are counted at their worst (UTF-16 of the escaped
/// JSON, as the emulator counts them; the service counts the stored value, which is smaller).
/// </summary>
internal static class RejectionBody
{
    private const int ChunkCost = 60_000;

    /// <summary>Chunks per row: at most 840 KB per row, leaving room for the errors (at most 64 KiB).</summary>
    internal const int ChunksPerRow = 14;

    /// <summary>
    /// What a rejected body may cost in the transaction that stores it, counted as the JSON the request carries (a
    /// character the serializer escapes costs six bytes): a 4 MiB transaction then always fits. Plain text keeps 3
    /// million characters, three times the largest message the HTTP route or a Premium queue's default accepts; a
    /// longer body keeps its start, and the rejection says how long it was.
    /// </summary>
    internal const int MaxBytes = 3_000_000;

    /// <summary>How many leading characters of a body fit <see cref="MaxBytes"/>, at a worst-case JSON cost per character.</summary>
    internal static int StorablePrefix(string body)
    {
        long cost = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            cost += JsonCost(c);
            if (cost > MaxBytes)
            {
                return char.IsLowSurrogate(c) && i > 0 ? i - 1 : i; // never split a surrogate pair
            }
        }

        return body.Length;
    }

    /// <summary>Cuts a body into property values of at most <see cref="ChunkCost"/>, never between a surrogate pair.</summary>
    internal static IEnumerable<string> Chunks(string body)
    {
        var (start, cost) = (0, 0);
        for (var i = 0; i < body.Length; i++)
        {
            var charCost = 2 * JsonCost(body[i]);
            if (cost + charCost > ChunkCost && !char.IsLowSurrogate(body[i]))
            {
                yield return body[start..i];
                (start, cost) = (i, 0);
            }

            cost += charCost;
        }

        if (start < body.Length)
        {
            yield return body[start..];
        }
    }

    /// <summary>Bytes a character can take in a JSON request at most: six when the serializer escapes it (\u0001).</summary>
    private static int JsonCost(char c) => c is < (char)0x20 or '"' or '\\' or > (char)0x7E ? 6 : 1;
}
