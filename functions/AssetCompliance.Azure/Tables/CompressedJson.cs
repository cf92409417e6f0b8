using System.IO.Compression;
using System.Text.Json;
using AssetCompliance.Core.State;

namespace AssetCompliance.Azure.Tables;

/// <summary>
/// Large JSON documents (device records: the device, vendor snapshot, evidence and reasons) stored gzip-compressed in a
/// binary property. Table Storage bills and the emulator parses by size; records shrink to about a third.
/// </summary>
internal static class CompressedJson
{
    public static byte[] Write<T>(T value)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            JsonSerializer.Serialize(gzip, value, ComplianceJson.Options);
        }

        return buffer.ToArray();
    }

    /// <param name="where">The row, for the error when the property is missing.</param>
    public static T Read<T>(byte[]? compressed, string where)
    {
        if (compressed is null)
        {
            throw new InvalidDataException($"The compressed document is missing from {where}");
        }

        using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        return JsonSerializer.Deserialize<T>(gzip, ComplianceJson.Options)
            ?? throw new InvalidDataException($"The compressed document in {where} is empty");
    }
}
