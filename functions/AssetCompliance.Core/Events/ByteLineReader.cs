using System.Security.Cryptography;

namespace AssetCompliance.Core.Events;

/// <summary>
/// One physical line of a byte stream, as <see cref="ByteLineReader"/> reads it.
/// </summary>
/// <param name="Number">The line's number, from 1: every line break counts, blank lines too.</param>
/// <param name="Bytes">
/// The line without its break: the whole line, or, when it is longer than the reader's limit, its first
/// limit's worth of bytes.
/// </param>
/// <param name="Length">The whole line's length in bytes, without its break.</param>
/// <param name="Digest">
/// For a line longer than the limit, when the reader was asked for digests: the SHA-256 of the whole line, which tells
/// two long lines apart where their kept starts are the same. Otherwise null.
/// </param>
public readonly record struct ByteLine(int Number, ReadOnlyMemory<byte> Bytes, long Length, ReadOnlyMemory<byte>? Digest)
{
    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>The line is longer than the limit: <see cref="Bytes"/> is only its start.</summary>
    public bool TooLong => Bytes.Length < Length;

    /// <summary>
    /// Nothing but spaces and tabs, after an optional UTF-8 byte-order mark: a line that holds no record, skipped by
    /// every reader of JSON Lines alike. A line too long to be kept is never blank.
    /// </summary>
    public bool IsBlank
    {
        get
        {
            var span = Bytes.Span;
            return !TooLong && (span.StartsWith(ByteOrderMark) ? span[ByteOrderMark.Length..] : span).Trim(" \t"u8).IsEmpty;
        }
    }
}

/// <summary>
/// Physical lines of a byte stream, each kept only up to a limit, for every reader of line-based files: the replay of
/// <c>.jsonl</c> event files (<c>compliance run --events</c>), <c>check</c> and <c>push</c> of JSON Lines and CSV.
/// One line-break rule for all of them, so that they agree on line numbers for the same file: a line ends at LF,
/// CR LF or a lone CR, each one break (as CsvHelper counts them, and as a JSON text may hold any of them only as white
/// space between tokens, never inside a string). A longer line than the limit is kept to its first limit's worth of
/// bytes and the rest is skipped without being kept, so one 200 MB line costs the limit and a 64 KiB buffer, no more.
/// Lines are bytes, never decoded: decoding would turn bytes that are not UTF-8 into U+FFFD and could make a
/// corrupted line valid.
/// </summary>
/// <param name="stream">Read from its current position to its end; not disposed.</param>
/// <param name="maxLineBytes">The most bytes of one line that are kept (0 for a reader that only skips lines).</param>
/// <param name="digestLongLines">Whether a line over the limit gets its SHA-256 (<see cref="ByteLine.Digest"/>).</param>
public sealed class ByteLineReader(Stream stream, int maxLineBytes, bool digestLongLines = false)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly List<byte> _kept = [];
    private int _start;
    private int _end;
    private bool _eof;
    private int _number;

    /// <summary>Bytes consumed from the stream so far: where the next line starts, from where reading began.</summary>
    public long Consumed { get; private set; }

    /// <summary>The next line, or false at the end of the stream (a final line without a break is a line).</summary>
    public bool TryReadLine(out ByteLine line)
    {
        line = default;
        _kept.Clear();
        long length = 0;
        IncrementalHash? digest = null;
        ReadOnlyMemory<byte>? whole = null;
        var any = false;
        try
        {
            while (true)
            {
                if (_start == _end && !Fill())
                {
                    if (any)
                    {
                        line = Line(whole, length, digest);
                    }

                    return any;
                }

                any = true;
                var span = _buffer.AsSpan(_start, _end - _start);
                var breakAt = span.IndexOfAny((byte)'\n', (byte)'\r');
                var piece = breakAt < 0 ? span : span[..breakAt];
                if (breakAt >= 0 && length == 0 && piece.Length <= maxLineBytes)
                {
                    // The common case: the whole line is in the buffer; the copy is the caller's to keep.
                    whole = piece.ToArray();
                }
                else
                {
                    var room = (int)Math.Min(piece.Length, Math.Max(0, maxLineBytes - length));
                    _kept.AddRange(piece[..room]);
                    if (length + piece.Length > maxLineBytes && digestLongLines)
                    {
                        if (digest is null)
                        {
                            digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                            digest.AppendData(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_kept)[..(int)length]);
                        }

                        digest.AppendData(piece);
                    }
                }

                length += piece.Length;
                Advance(piece.Length);
                if (breakAt < 0)
                {
                    continue;
                }

                ConsumeBreak();
                line = Line(whole, length, digest);
                return true;
            }
        }
        finally
        {
            digest?.Dispose();
        }
    }

    private ByteLine Line(ReadOnlyMemory<byte>? whole, long length, IncrementalHash? digest) =>
        new(++_number, whole ?? _kept.ToArray(), length, digest is null ? (ReadOnlyMemory<byte>?)null : digest.GetHashAndReset()); // a bare null would become an empty digest, through byte[]

    /// <summary>Skips to the start of the next line; false when the stream ends first.</summary>
    public bool SkipLine()
    {
        while (true)
        {
            if (_start == _end && !Fill())
            {
                return false;
            }

            var breakAt = _buffer.AsSpan(_start, _end - _start).IndexOfAny((byte)'\n', (byte)'\r');
            if (breakAt < 0)
            {
                Advance(_end - _start);
                continue;
            }

            Advance(breakAt);
            ConsumeBreak();
            _number++;
            return true;
        }
    }

    private void ConsumeBreak()
    {
        var isCr = _buffer[_start] == (byte)'\r';
        Advance(1);
        if (isCr && (_start < _end || Fill()) && _buffer[_start] == (byte)'\n')
        {
            Advance(1);
        }
    }

    private void Advance(int count)
    {
        _start += count;
        Consumed += count;
    }

    private bool Fill()
    {
        if (_eof)
        {
            return false;
        }

        _start = 0;
        _end = stream.Read(_buffer, 0, _buffer.Length);
        _eof = _end == 0;
        return !_eof;
    }
}
