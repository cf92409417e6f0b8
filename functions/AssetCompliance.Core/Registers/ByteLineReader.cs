namespace AssetCompliance.Core.Registers;

/// <summary>
/// Physical lines of a byte stream, each held only up to a limit: a longer line is skipped to its end without being
/// kept, so one 200 MB line costs the 64 KiB buffer and no more. A line ends at LF, CR LF or a lone CR (each one line
/// break, as CsvHelper counts them, so line numbers agree).
/// </summary>
internal sealed class ByteLineReader(Stream stream, int maxLineBytes)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly List<byte> _long = [];
    private int _start;
    private int _end;
    private bool _eof;

    /// <summary>Bytes consumed from the stream so far: where the next line starts, from where reading began.</summary>
    public long Consumed { get; private set; }

    /// <summary>
    /// The next line without its break, or false at the end of the stream. <paramref name="tooLong"/> is true, and
    /// <paramref name="line"/> empty, when the line was longer than the limit (it has been skipped).
    /// </summary>
    public bool TryReadLine(out ReadOnlyMemory<byte> line, out bool tooLong)
    {
        line = default;
        tooLong = false;
        _long.Clear();
        var any = false;
        while (true)
        {
            if (_start == _end && !Fill())
            {
                if (any)
                {
                    line = tooLong ? default : _long.ToArray();
                }

                return any;
            }

            any = true;
            var span = _buffer.AsSpan(_start, _end - _start);
            var breakAt = span.IndexOfAny((byte)'\n', (byte)'\r');
            var take = breakAt < 0 ? span.Length : breakAt;
            if (!tooLong)
            {
                if (_long.Count + take > maxLineBytes)
                {
                    tooLong = true;
                    _long.Clear();
                }
                else if (breakAt >= 0 && _long.Count == 0)
                {
                    // The common case: the whole line is in the buffer; the copy is the caller's to keep.
                    line = span[..take].ToArray();
                }
                else
                {
                    _long.AddRange(span[..take]);
                }
            }

            Advance(take);
            if (breakAt < 0)
            {
                continue;
            }

            ConsumeBreak();
            if (!tooLong && _long.Count > 0)
            {
                line = _long.ToArray();
            }

            return true;
        }
    }

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
