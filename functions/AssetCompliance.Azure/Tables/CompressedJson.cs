using System.IO.Compression;
using System.Text.Json;
using AssetCompliance.Core.State;
using Azure.Data.Tables;

namespace AssetCompliance.Azure.Tables;

/// <summary>
/// Large JSON documents (device records: the device, vendor snapshot, evidence and reasons) stored gzip-compressed in a
/// binary property. Table Storage bills and the emulator parses by size; records shrink to about a third. A plain
/// JSON string property of the same name without the suffix is still read, for rows written before compression.
/// </summary>
internal static class CompressedJson
{
    private const string Suffix = "Gz";

    public static byte[] Write<T>(T value)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            JsonSerializer.Serialize(gzip, value, ComplianceJson.Options);
        }

        return buffer.ToArray();
    }

    public static T Read<T>(TableEntity entity, string property)
    {
        if (entity.GetBinary(property + Suffix) is { } compressed)
        {
            using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
            return JsonSerializer.Deserialize<T>(gzip, ComplianceJson.Options)
                ?? throw new InvalidDataException($"{property} is empty in {entity.PartitionKey}/{entity.RowKey}");
        }

        return JsonSerializer.Deserialize<T>(entity.GetString(property), ComplianceJson.Options)
            ?? throw new InvalidDataException($"{property} is missing from {entity.PartitionKey}/{entity.RowKey}");
    }
}
