using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.State;

/// <summary>One JSON shape for records everywhere (storage, API, CLI): camelCase, enums by name, nulls omitted.</summary>
public static class ComplianceJson
{
    public static JsonSerializerOptions Options { get; } = Create(indented: false);

    public static JsonSerializerOptions Indented { get; } = Create(indented: true);

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = indented,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OmitEmptyUnreadFields } },
        };
        options.Converters.Add(new DeviceTypeConverter());
        options.Converters.Add(new NetworkSegmentConverter());
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>
    /// A device whose every field was read has no <c>unreadFields</c> in JSON (events, records, API answers), as
    /// nulls are omitted: the contract's "absent" is the common case and should look like it.
    /// </summary>
    private static void OmitEmptyUnreadFields(JsonTypeInfo info)
    {
        if (info.Type != typeof(RegisteredDevice))
        {
            return;
        }

        foreach (var property in info.Properties.Where(p => p.Name == UnreadFields.WireName))
        {
            property.ShouldSerialize = (_, value) => value is IReadOnlyCollection<string> { Count: > 0 };
        }
    }

    // Device types and segments use the contract's wire names ("video-intercom"), not C# names.
    private sealed class DeviceTypeConverter : JsonConverter<DeviceType>
    {
        public override DeviceType Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DeviceTypes.TryParse(reader.GetString(), out var type) ? type : throw new JsonException($"unknown device type '{reader.GetString()}'");

        public override void Write(Utf8JsonWriter writer, DeviceType value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToWire());
    }

    private sealed class NetworkSegmentConverter : JsonConverter<NetworkSegment>
    {
        public override NetworkSegment Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            NetworkSegments.TryParse(reader.GetString(), out var segment) ? segment : throw new JsonException($"unknown network segment '{reader.GetString()}'");

        public override void Write(Utf8JsonWriter writer, NetworkSegment value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToWire());
    }
}
