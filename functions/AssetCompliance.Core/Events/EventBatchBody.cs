using System.Text.Json;

namespace AssetCompliance.Core.Events;

/// <summary>
/// The events an HTTP ingestion body holds, before each is parsed on its own: one CloudEvent (a JSON object), or a
/// JSON array of them (CloudEvents batch mode), each as its own bytes exactly as sent, so that what is enqueued is
/// what was validated. A body that is not JSON, is neither an object nor an array, or nests an event deeper than the
/// contract allows has a <see cref="Problem"/> instead; the depth is counted per event, as the queue counts it
/// (<see cref="AssetEventParser.MaxDepth"/>), not counting the array around a batch.
/// </summary>
/// <param name="IsBatch">The body is an array (its errors' paths then start <c>$[i]</c>).</param>
/// <param name="Events">Each element's bytes (for a single event, the object's), in order; empty with a problem.</param>
/// <param name="Problem">A title for the caller, or null when the body could be split.</param>
/// <param name="Detail">What exactly is wrong, with the JSON path where there is one.</param>
public sealed record EventBatchBody(bool IsBatch, IReadOnlyList<ReadOnlyMemory<byte>> Events, string? Problem = null, string? Detail = null)
{
    /// <summary>Splits <paramref name="body"/> (UTF-8, perhaps after a byte-order mark); never throws.</summary>
    public static EventBatchBody Read(ReadOnlyMemory<byte> body)
    {
        var json = JsonText.WithoutByteOrderMark(body);
        var limit = AssetEventParser.MaxDepth;
        // Two levels past the limit: the array, and one to see the first level too deep before the reader objects.
        var reader = new Utf8JsonReader(json.Span, new JsonReaderOptions { MaxDepth = limit + 2 });
        var events = new List<ReadOnlyMemory<byte>>();
        var batch = false;
        try
        {
            if (!reader.Read() || reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
            {
                return new EventBatchBody(false, [], "The body must be a CloudEvent or an array of them.");
            }

            batch = reader.TokenType == JsonTokenType.StartArray;
            var eventDepth = batch ? 1 : 0;
            long start = batch ? -1 : reader.TokenStartIndex;
            while (reader.Read())
            {
                var depth = reader.CurrentDepth;
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray when depth - eventDepth + 1 > limit:
                        var at = batch ? $"$[{events.Count}]" : "$";
                        return new EventBatchBody(batch, [], "An event nests too deeply.",
                            $"{at}: {JsonText.NestingRule(limit)}{(batch ? " (the array around the batch is not counted)" : "")}");
                    case JsonTokenType.StartObject or JsonTokenType.StartArray when depth == eventDepth:
                        start = reader.TokenStartIndex;
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray when depth == eventDepth:
                        events.Add(json[(int)start..(int)reader.BytesConsumed]);
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    case JsonTokenType.PropertyName:
                        break;
                    default:
                        if (depth == eventDepth)
                        {
                            events.Add(json[(int)reader.TokenStartIndex..(int)reader.BytesConsumed]); // not an event: the parser says so
                        }

                        break;
                }
            }
        }
        catch (JsonException e)
        {
            return new EventBatchBody(batch, [], "The body is not JSON.", e.Message);
        }

        return new EventBatchBody(batch, events);
    }
}
