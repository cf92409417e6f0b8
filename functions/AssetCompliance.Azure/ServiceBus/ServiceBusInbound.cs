using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AssetCompliance.Core.Processing;
using Azure.Core.Amqp;
using Azure.Messaging.ServiceBus;

namespace AssetCompliance.Azure.ServiceBus;

/// <summary>
/// The one translation from a Service Bus message to the processor's input, for the trigger and the local consumer.
/// Never throws, so that one odd message cannot fail the batch it came in.
/// </summary>
/// <remarks>
/// How bodies are read. An AMQP message carries its body as data sections (what the Azure SDKs send), one AMQP value,
/// or AMQP sequences (what JMS and Qpid clients may send; <c>message.Body</c> throws for the last two):
/// <list type="bullet">
/// <item>data sections: their bytes;</item>
/// <item>a value that is a string (a JMS <c>TextMessage</c>): its UTF-8 bytes; a lone surrogate in it becomes
/// bytes that are not UTF-8 (never silently repaired), so the parser rejects it at its path like a data body's;</item>
/// <item>a value that is binary: its bytes;</item>
/// <item>a sequence body of one section holding one string or binary element: that element, as above;</item>
/// <item>anything else (a number, a map, a list, null, a longer sequence): a rejection whose error names the body
/// type, with the body kept as its JSON rendering where it has one.</item>
/// </list>
/// A message without a message id is known by its sequence number (<c>sequence-{n}</c>).
/// </remarks>
public static class ServiceBusInbound
{
    public const string Channel = "service-bus";

    private const string Advice = "send the event as UTF-8 JSON in a data body, or as a string or binary AMQP value";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static InboundMessage From(ServiceBusReceivedMessage message)
    {
        var (body, error) = ReadBody(message);
        // The SDK's properties read the AMQP header and annotations and throw where a field is missing (DeliveryCount
        // without a header): each is read on its own, with a stand-in, so that no property can fail the batch.
        var sequence = Read(() => message.SequenceNumber, 0L);
        var messageId = Read(() => message.MessageId, null) is { Length: > 0 } id ? id : string.Create(CultureInfo.InvariantCulture, $"sequence-{sequence}");
        return new InboundMessage(messageId, body, Read(() => message.DeliveryCount, 1), Read(() => message.EnqueuedTime, DateTimeOffset.UtcNow), Channel, error)
        {
            Vouch = Read(() => VouchOf(message), null),
        };
    }

    /// <summary>
    /// The department the infrastructure vouches for: the application property <see cref="SenderVouch.PropertyName"/>,
    /// which the subscription rule of the department's topic sets (overwriting whatever the sender put there) before it
    /// forwards to <c>asset-events</c>, and which the app's own publisher sets to the department its route
    /// authenticated; nobody else may send to <c>asset-events</c> (docs/security.md). The name is matched without
    /// regard to case, and two spellings, a value that is not a string or not a department code are no vouch: the
    /// message is refused (fail closed) rather than guessed at.
    /// </summary>
    internal static SenderVouch? VouchOf(ServiceBusReceivedMessage message)
    {
        var values = message.ApplicationProperties.Where(p => string.Equals(p.Key, SenderVouch.PropertyName, StringComparison.OrdinalIgnoreCase)).Select(p => p.Value).ToArray();
        return values is [string department] ? SenderVouch.ForDepartment(department, "as vouched on Service Bus by its department's topic or the app's authenticated route") : null;
    }

    private static T Read<T>(Func<T> property, T fallback)
    {
        try
        {
            return property();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return fallback;
        }
    }

    /// <summary>The body's bytes, or what could be kept of it and the reason it cannot be an event.</summary>
    internal static (ReadOnlyMemory<byte> Body, string? Error) ReadBody(ServiceBusReceivedMessage message)
    {
        try
        {
            var body = message.GetRawAmqpMessage().Body;
            switch (body.BodyType)
            {
                case var type when type == AmqpMessageBodyType.Data:
                    return (message.Body.ToMemory(), null);
                case var type when type == AmqpMessageBodyType.Value && body.TryGetValue(out var value):
                    return FromValue(value, "an AMQP value");
                case var type when type == AmqpMessageBodyType.Sequence && body.TryGetSequence(out var sequence):
                    var sections = (sequence ?? []).ToList();
                    if (sections is [{ Count: 1 } only])
                    {
                        return FromValue(only[0], "an AMQP sequence of one element");
                    }

                    var elements = sections.Sum(s => s.Count);
                    return (Render(sections), $"the Service Bus message body is an AMQP sequence body of {sections.Count} section(s) and {elements} element(s), not one event; {Advice}");
                default:
                    return (default, $"the Service Bus message body is of AMQP body type {body.BodyType}, which is not read; {Advice}");
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (default, $"the Service Bus message body could not be read ({e.GetType().Name}); {Advice}");
        }
    }

    private static (ReadOnlyMemory<byte> Body, string? Error) FromValue(object? value, string kind)
    {
        switch (value)
        {
            case string text:
                try
                {
                    return (StrictUtf8.GetBytes(text), null);
                }
                catch (EncoderFallbackException)
                {
                    // Encoding.UTF8 would turn the lone surrogate into U+FFFD and could make a corrupted body valid.
                    // Each lone surrogate becomes its three-byte form instead (invalid UTF-8), so the parser reports
                    // it at its JSON path with every other error and the rejection is attributed, as for a data body.
                    return (WithLoneSurrogatesAsInvalidBytes(text), null);
                }

            case byte[] bytes:
                return (bytes, null);
            case ArraySegment<byte> segment:
                return (segment.AsMemory(), null);
            case ReadOnlyMemory<byte> memory:
                return (memory, null);
            case Memory<byte> memory:
                return (memory, null);
            case BinaryData data:
                return (data.ToMemory(), null);
            case null:
                return (default, $"the Service Bus message body is {kind} holding null; {Advice}");
            default:
                return (Render(value), $"the Service Bus message body is {kind} of type {AmqpTypeName(value)}, not text or binary; {Advice}");
        }
    }

    /// <summary>UTF-8, except that a lone surrogate is written as its three-byte form (ED A0 80 for U+D800), which no UTF-8 decoder accepts.</summary>
    private static byte[] WithLoneSurrogatesAsInvalidBytes(string text)
    {
        var bytes = new List<byte>(text.Length + 16);
        Span<byte> buffer = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                bytes.AddRange(buffer[..Encoding.UTF8.GetBytes(text.AsSpan(i, 2), buffer)]);
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                bytes.AddRange([(byte)(0xE0 | (c >> 12)), (byte)(0x80 | ((c >> 6) & 0x3F)), (byte)(0x80 | (c & 0x3F))]);
            }
            else
            {
                bytes.AddRange(buffer[..Encoding.UTF8.GetBytes(text.AsSpan(i, 1), buffer)]);
            }
        }

        return [.. bytes];
    }

    private static string AmqpTypeName(object value) => value switch
    {
        IDictionary => "map",
        IList => "list",
        bool => "boolean",
        _ => value.GetType().Name,
    };

    /// <summary>The value as JSON when it has a JSON rendering (numbers, maps, lists), else its text: kept in the rejection.</summary>
    private static ReadOnlyMemory<byte> Render(object value)
    {
        try
        {
            return JsonSerializer.SerializeToUtf8Bytes(value, value.GetType());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Encoding.UTF8.GetBytes(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);
        }
    }
}
