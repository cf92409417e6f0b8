using System.Buffers;
using System.Text;

namespace AssetCompliance.Core.Registers;

/// <summary>
/// The character encodings a register is read in, and how one is decided: a byte-order mark (UTF-8, UTF-16 LE/BE);
/// otherwise the whole file is scanned: valid UTF-8 is UTF-8, and a file whose only non-ASCII bytes are not UTF-8 and
/// all stand for characters in Windows-1252 (Excel's plain "CSV" on a Western Windows) is Windows-1252. A file that
/// is neither (UTF-8 and other bytes mixed, or bytes Windows-1252 leaves undefined) is refused, never read with
/// U+FFFD in place of what it says; <c>--encoding</c> decides instead.
/// </summary>
public static class RegisterEncoding
{
    /// <summary>The names <c>--encoding</c> accepts.</summary>
    public static readonly string[] Names = ["utf-8", "utf-16", "utf-16le", "utf-16be", "windows-1252"];

    /// <summary>Windows-1252 (code page 1252), from the code-page provider in the framework.</summary>
    public static Encoding Windows1252 { get; } = CodePagesEncodingProvider.Instance.GetEncoding(1252)
        ?? throw new InvalidOperationException("Windows-1252 is not available");

    private const int ScanBlock = 1 << 16;

    /// <summary>An encoding decided: the encoding (null: UTF-8, read as it is) and how it is named in the report.</summary>
    public sealed record Decision(Encoding? Transcode, string Name);

    /// <summary>
    /// The encoding of <paramref name="stream"/> (seekable; its position is kept), starting with
    /// <paramref name="head"/>, given by <paramref name="given"/> (one of <see cref="Names"/>) or detected; null with
    /// <paramref name="error"/> when it cannot be decided. NUL bytes without a byte-order mark are left to the
    /// caller (UTF-16 without a mark, or binary).
    /// </summary>
    public static Decision? Decide(Stream stream, ReadOnlySpan<byte> head, string? given, out string? error)
    {
        error = null;
        var bom = head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) && !head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0, 0]) ? "le"
            : head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) ? "be"
            : head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? "utf-8"
            : null;
        switch (given?.ToLowerInvariant())
        {
            case "utf-8" or "utf8":
                return new Decision(null, "UTF-8 (--encoding)");
            case "utf-16" or "utf16":
                return bom == "be" ? new Decision(Encoding.BigEndianUnicode, "UTF-16 BE (--encoding, byte-order mark)") : new Decision(Encoding.Unicode, "UTF-16 LE (--encoding)");
            case "utf-16le":
                return new Decision(Encoding.Unicode, "UTF-16 LE (--encoding)");
            case "utf-16be":
                return new Decision(Encoding.BigEndianUnicode, "UTF-16 BE (--encoding)");
            case "windows-1252" or "cp1252":
                return new Decision(Windows1252, "Windows-1252 (--encoding)");
            case { } other:
                error = $"--encoding '{other}' is not one of {string.Join(", ", Names)}";
                return null;
        }

        switch (bom)
        {
            case "le":
                return new Decision(Encoding.Unicode, "UTF-16 LE (byte-order mark)");
            case "be":
                return new Decision(Encoding.BigEndianUnicode, "UTF-16 BE (byte-order mark)");
            case "utf-8":
                return new Decision(null, "UTF-8 (byte-order mark)");
        }

        var scan = Scan(stream);
        if (scan.Invalid == 0)
        {
            return new Decision(null, scan.Multibyte == 0 ? "UTF-8 (ASCII only)" : "UTF-8 (detected)");
        }

        const string Give = "; give --encoding utf-8 or windows-1252 (or save the file as 'CSV UTF-8')";
        if (scan.Multibyte > 0)
        {
            error = $"the encoding cannot be told: the file holds both UTF-8 characters ({scan.Multibyte:N0}) and bytes that are not UTF-8 ({scan.Invalid:N0}, the first at byte {scan.FirstInvalid:N0}), as if two exports were joined{Give}";
            return null;
        }

        if (scan.Undefined > 0)
        {
            error = $"the encoding cannot be told: the file has bytes that are not UTF-8, and {scan.Undefined:N0} of them (the first at byte {scan.FirstUndefined:N0}) stand for no character in Windows-1252 either{Give}";
            return null;
        }

        if (scan.High * 4 > scan.Bytes)
        {
            error = $"the encoding cannot be told: {scan.High:N0} of its {scan.Bytes:N0} bytes are not ASCII, too many for Windows-1252 text in a register{Give}";
            return null;
        }

        return new Decision(Windows1252, "Windows-1252 (detected: bytes that are not UTF-8)");
    }

    private readonly record struct ScanResult(long Bytes, long High, long Multibyte, long Invalid, long FirstInvalid, long Undefined, long FirstUndefined);

    /// <summary>
    /// One pass over the file: its non-ASCII bytes as UTF-8 sequences (valid ones counted) or not (invalid bytes
    /// counted, and those Windows-1252 leaves undefined: 81, 8D, 8F, 90, 9D). A read failure ends the scan, which
    /// judges what it read; the reader meets the failure again and reports it in its place.
    /// </summary>
    private static ScanResult Scan(Stream stream)
    {
        var start = stream.Position;
        var buffer = ArrayPool<byte>.Shared.Rent(ScanBlock + 4);
        var (bytes, high, multibyte, invalid, undefined) = (0L, 0L, 0L, 0L, 0L);
        var (firstInvalid, firstUndefined) = (-1L, -1L);
        try
        {
            var carried = 0;
            var offset = 0L; // of buffer[0] in the file
            while (true)
            {
                int read;
                try
                {
                    read = stream.Read(buffer, carried, ScanBlock);
                }
                catch (IOException)
                {
                    read = 0;
                }

                var length = carried + read;
                var end = read == 0;
                var span = buffer.AsSpan(0, length);
                var i = 0;
                while (i < span.Length)
                {
                    var next = span[i..].IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
                    if (next < 0)
                    {
                        i = span.Length;
                        break;
                    }

                    i += next;
                    var status = System.Text.Rune.DecodeFromUtf8(span[i..], out _, out var consumed);
                    if (status == OperationStatus.NeedMoreData && !end)
                    {
                        break; // the rest of the sequence is in the next block
                    }

                    if (status == OperationStatus.Done)
                    {
                        multibyte++;
                        high += consumed;
                        i += consumed;
                        continue;
                    }

                    // Not UTF-8: each byte of it is one Windows-1252 character (or none).
                    for (var k = 0; k < consumed; k++)
                    {
                        var b = span[i + k];
                        if (b < 0x80)
                        {
                            continue;
                        }

                        high++;
                        invalid++;
                        firstInvalid = firstInvalid < 0 ? offset + i + k : firstInvalid;
                        if (b is 0x81 or 0x8D or 0x8F or 0x90 or 0x9D)
                        {
                            undefined++;
                            firstUndefined = firstUndefined < 0 ? offset + i + k : firstUndefined;
                        }
                    }

                    i += Math.Max(consumed, 1);
                }

                bytes += i;
                if (end)
                {
                    break;
                }

                carried = length - i;
                span[i..].CopyTo(buffer);
                offset += i;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            stream.Position = start;
        }

        return new ScanResult(bytes, high, multibyte, invalid, firstInvalid, undefined, firstUndefined);
    }

    /// <summary>
    /// The file as UTF-8, in a seekable stream the caller disposes: in memory up to 16 MiB, past that in a temporary
    /// file deleted when it is closed, so memory stays flat. Line breaks are kept, so line numbers are the file's.
    /// </summary>
    public static Stream ToUtf8(Stream source, Encoding encoding)
    {
        const long InMemory = 16L << 20;
        Stream target = source.CanSeek && source.Length - source.Position <= InMemory / 3
            ? new MemoryStream()
            : new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        try
        {
            using (var reader = new StreamReader(source, encoding, detectEncodingFromByteOrderMarks: false, 1 << 16, leaveOpen: true))
            using (var writer = new StreamWriter(target, new UTF8Encoding(false), 1 << 16, leaveOpen: true))
            {
                var chars = new char[1 << 15];
                int count;
                while ((count = reader.Read(chars, 0, chars.Length)) > 0)
                {
                    writer.Write(chars, 0, count);
                }
            }

            target.Position = 0;
            return target;
        }
        catch
        {
            target.Dispose();
            throw;
        }
    }

    /// <summary>The start of a file in <paramref name="encoding"/> as UTF-8 bytes, for telling its shape and delimiter.</summary>
    public static byte[] HeadAsUtf8(ReadOnlySpan<byte> head, Encoding encoding) =>
        Encoding.UTF8.GetBytes(encoding.GetString(encoding == Encoding.Unicode || encoding == Encoding.BigEndianUnicode ? head[..(head.Length & ~1)] : head));
}
