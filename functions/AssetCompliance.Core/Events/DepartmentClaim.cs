using System.Text.Json;

namespace AssetCompliance.Core.Events;

/// <summary>
/// Which department a body that is not a valid event is shown to, as its rejection: the department it claims, when
/// that is beyond doubt, else none (the central team's unattributed list). A department reads the bodies of its
/// rejections, so a wrong attribution would show one department's register to another: every doubt resolves to
/// unattributed.
/// </summary>
/// <remarks>
/// <para>
/// A claim is what an event says of its department: <c>data.department</c> (a string directly in the event's
/// top-level <c>data</c> object; a <c>department</c> anywhere else, such as inside an extension, is no claim) and the
/// code in a <c>source</c> of the form <c>/departments/{CODE}/asset-register</c>. The body is attributed to a
/// department when it is one event (a JSON object), or a JSON array of events, in which every event makes at least
/// one claim, and every claim names the same valid department code. Anything else is unattributed: claims that
/// differ (a property given twice, a source that contradicts data, an array of several departments' events), an
/// event without a claim, an array element that is not an object, a claim that is not a valid code, text that is not
/// JSON.
/// </para>
/// <para>
/// A body of which only the start was kept (<paramref name="complete"/> false: a replayed line over its limit) is read
/// as far as it goes: it is attributed when the rule holds for what was kept, the event cut short included (it
/// must have made its claim before the cut). What follows the cut is not kept, so it is shown to no one.
/// </para>
/// </remarks>
public static class DepartmentClaim
{
    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    private const string SourcePrefix = "/departments/";
    private const string SourceSuffix = "/asset-register";

    private enum Pending
    {
        None,
        Data,
        Source,
        Department,
    }

    /// <summary>The department <paramref name="body"/> claims beyond doubt, or null; never throws.</summary>
    /// <param name="body">UTF-8 JSON, perhaps after a byte-order mark.</param>
    /// <param name="complete">False when <paramref name="body"/> is only the start of what was sent.</param>
    public static string? Read(ReadOnlySpan<byte> body, bool complete)
    {
        var json = body.StartsWith(ByteOrderMark) ? body[ByteOrderMark.Length..] : body;
        // One level more than an event may nest, for the array around a batch; deeper is no event, so no claim.
        var reader = new Utf8JsonReader(json, complete, new JsonReaderState(new JsonReaderOptions { MaxDepth = AssetEventParser.MaxDepth + 1 }));
        string? department = null;
        var (eventDepth, dataDepth, claimed, pending) = (-1, -1, false, Pending.None);
        try
        {
            if (!reader.Read() || reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
            {
                return null;
            }

            var batch = reader.TokenType == JsonTokenType.StartArray;
            eventDepth = batch ? -1 : 0;
            while (reader.Read())
            {
                var (depth, token, was) = (reader.CurrentDepth, reader.TokenType, pending);
                pending = Pending.None;
                if (batch && depth == 1 && eventDepth < 0)
                {
                    if (token != JsonTokenType.StartObject)
                    {
                        return null; // an element that is not an event holds data no claim covers
                    }

                    (eventDepth, claimed) = (1, false);
                    continue;
                }

                switch (token)
                {
                    case JsonTokenType.EndObject when depth == eventDepth:
                        if (!claimed)
                        {
                            return null;
                        }

                        eventDepth = batch ? -1 : eventDepth;
                        break;
                    case JsonTokenType.EndObject when depth == dataDepth:
                        dataDepth = -1;
                        break;
                    case JsonTokenType.PropertyName when depth == eventDepth + 1:
                        pending = reader.ValueTextEquals("data"u8) ? Pending.Data : reader.ValueTextEquals("source"u8) ? Pending.Source : Pending.None;
                        break;
                    case JsonTokenType.PropertyName when dataDepth >= 0 && depth == dataDepth + 1:
                        pending = reader.ValueTextEquals("department"u8) ? Pending.Department : Pending.None;
                        break;
                    case JsonTokenType.StartObject when was == Pending.Data:
                        dataDepth = depth;
                        break;
                    case JsonTokenType.String when was is Pending.Department or Pending.Source:
                        var value = reader.GetString()!;
                        if (was == Pending.Source && !(value.StartsWith(SourcePrefix, StringComparison.Ordinal) && value.EndsWith(SourceSuffix, StringComparison.Ordinal)
                            && value.Length >= SourcePrefix.Length + SourceSuffix.Length))
                        {
                            break; // another form of source names no department: no claim, and no doubt
                        }

                        var code = was == Pending.Source ? value[SourcePrefix.Length..^SourceSuffix.Length] : value;
                        if (!Identifiers.IsValidDepartment(code) || (department is not null && department != code))
                        {
                            return null;
                        }

                        (department, claimed) = (code, true);
                        break;
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null; // not JSON, or a claim that is not Unicode text
        }

        // Complete: the root closed, every event was checked as it ended. Cut short: the event still open is the
        // one the cut fell in, and its kept start must have made its claim.
        return eventDepth >= 0 && !claimed ? null : department;
    }
}
