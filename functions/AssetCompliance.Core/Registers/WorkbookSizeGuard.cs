using System.IO.Compression;

namespace AssetCompliance.Core.Registers;

/// <summary>
/// The ZIP-bomb guard: a workbook whose in-memory parts, as its archive declares them, would unpack to more than
/// <see cref="MaxInMemoryPartBytes"/> is refused before the reader opens it, with one clear error.
/// </summary>
internal static class WorkbookSizeGuard
{
    /// <summary>
    /// The most a part other than a worksheet may hold uncompressed: 512 MiB. The reader keeps such parts whole in
    /// memory (the shared-string table, styles), at about twice their size; worksheets stream. The 101.8 MiB benchmark
    /// workbook, every id a unique string, peaks at 378 MiB in all (benchmarks/README.md); a part of gigabytes is a ZIP
    /// bomb (deflate packs a repeated text a thousandfold, so a 20 MiB body can unpack to 20 GB), which would take the
    /// process down rather than give one clear error.
    /// </summary>
    internal const long MaxInMemoryPartBytes = 512L * 1024 * 1024;

    /// <summary>Why the workbook is not opened: a part the reader holds in memory is larger than <see cref="MaxInMemoryPartBytes"/> as the archive declares it; else null (a damaged archive is left to the reader to report).</summary>
    public static string? OversizedPart(Stream stream)
    {
        var start = stream.Position;
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            var part = zip.Entries.FirstOrDefault(e => !e.FullName.StartsWith("xl/worksheets/", StringComparison.OrdinalIgnoreCase) && e.Length > MaxInMemoryPartBytes);
            return part is null ? null
                : $"is an Excel workbook whose part '{RegisterCells.Shown(part.FullName)}' unpacks to {part.Length / (1024 * 1024)} MiB ({part.CompressedLength / 1024} KiB packed), more than the {MaxInMemoryPartBytes / (1024 * 1024)} MiB check holds in memory: not read. A real register is far smaller; if it is one, {XlsxRegister.SaveAsCsv}";
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
        {
            return null;
        }
        finally
        {
            stream.Position = start;
        }
    }
}
