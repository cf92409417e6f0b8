namespace AssetCompliance.Core.Observations;

/// <summary>
/// Picks the reader for a scan or inventory file by its content: nmap XML (starts with <c>&lt;?xml</c> or
/// <c>&lt;nmaprun</c>), runZero JSON Lines (starts with <c>{</c>), and for CSV by its header: Defender for Endpoint
/// (<c>Vendor</c> with <c>Device IPs</c>, <c>IP addresses</c>, <c>IP</c> or <c>MAC Address</c>) or runZero (<c>addresses</c> or <c>macs</c>). Anything
/// else throws <see cref="ObservationReadException"/> saying which formats are read.
/// </summary>
public static class ScanReader
{
    /// <summary>The observations in <paramref name="stream"/> (seekable), named <paramref name="file"/> in messages; enumerate once.</summary>
    public static IEnumerable<DeviceObservation> Read(Stream stream, string file)
    {
        var start = new byte[512];
        var position = stream.Position;
        var read = stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        stream.Position = position;
        var text = System.Text.Encoding.UTF8.GetString(start, 0, read).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (text.Length == 0)
        {
            throw new ObservationReadException(file, 0, "empty");
        }

        if (text.StartsWith('<'))
        {
            return NmapXmlReader.Read(stream, file);
        }

        if (text.StartsWith('{'))
        {
            return RunZeroReader.ReadJsonLines(stream, file);
        }

        if (text.StartsWith('['))
        {
            throw new ObservationReadException(file, 1, "a JSON array: export runZero assets as JSON Lines (JSONL) or CSV");
        }

        var header = text.Split('\n')[0].ToLowerInvariant();
        // The header's names, quoted or not (an export may quote every cell).
        var cells = header.Split([',', ';', '\t']).Select(c => c.Trim().Trim('"').Trim()).ToArray();
        if (cells.Contains("vendor") && (header.Contains("device ips", StringComparison.Ordinal) || header.Contains("mac address", StringComparison.Ordinal)
            || cells.Contains("ip addresses") || cells.Contains("ip")))
        {
            return DefenderInventoryReader.Read(stream, file);
        }

        if (header.Contains("addresses", StringComparison.Ordinal) || header.Contains("macs", StringComparison.Ordinal))
        {
            return RunZeroReader.ReadCsv(stream, file);
        }

        throw new ObservationReadException(file, 1, "not a scan this reads: nmap XML (-oX), a runZero asset export (JSONL or CSV) or a Defender for Endpoint device inventory export (CSV)");
    }
}
