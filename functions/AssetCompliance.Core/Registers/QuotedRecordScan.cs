namespace AssetCompliance.Core.Registers;

/// <summary>
/// Finds where a CSV record ends, reading bytes from a stream's position with the quoting rules CsvHelper reads them
/// with (a field is quoted when its first character after spaces is '"'; '""' inside it is a quote; a quote in an
/// unquoted field is a character): the record ends at the first line break outside quotes. Nothing is kept, so a
/// record of any length costs a 64 KiB buffer. Used to skip an over-long record whole rather than read its inner
/// lines as rows.
/// </summary>
internal readonly record struct QuotedRecordScan(QuotedRecordScan.End Outcome, long Bytes, int Breaks)
{
    /// <summary>How the scan ended.</summary>
    public enum End
    {
        /// <summary>The record's first line ends outside quotes: it is one line.</summary>
        OneLine,

        /// <summary>A quoted field spans lines and closes; <see cref="Bytes"/> reaches past the record's line break.</summary>
        Closed,

        /// <summary>The stream ends inside quotes: the opening quote never closes.</summary>
        NeverCloses,

        /// <summary>The bound was reached inside quotes.</summary>
        TooFar,
    }

    private enum State
    {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
        AfterQuote,
    }

    /// <summary>Scans from <paramref name="stream"/>'s position, at most <paramref name="bound"/> bytes.</summary>
    public static QuotedRecordScan Run(Stream stream, long bound)
    {
        var buffer = new byte[64 * 1024];
        var state = State.FieldStart;
        long consumed = 0;
        var breaks = 0;
        var pendingCr = false;
        while (consumed < bound)
        {
            var read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, bound - consumed));
            if (read == 0)
            {
                return new(state is State.Quoted ? End.NeverCloses : breaks == 0 ? End.OneLine : End.Closed, consumed, breaks);
            }

            for (var i = 0; i < read; i++)
            {
                var b = buffer[i];
                if (pendingCr)
                {
                    // A CR LF inside quotes is one break, as a lone CR is.
                    pendingCr = false;
                    if (b == (byte)'\n')
                    {
                        continue;
                    }
                }

                switch (state)
                {
                    case State.Quoted:
                        if (b == (byte)'"')
                        {
                            state = State.QuoteInQuoted;
                        }
                        else if (b is (byte)'\n' or (byte)'\r')
                        {
                            breaks++;
                            pendingCr = b == (byte)'\r';
                        }

                        continue;
                    case State.QuoteInQuoted:
                        if (b == (byte)'"')
                        {
                            state = State.Quoted;
                            continue;
                        }

                        state = State.AfterQuote;
                        break;
                    case State.FieldStart when b is (byte)' ' or (byte)'\t':
                        continue;
                    case State.FieldStart when b == (byte)'"':
                        state = State.Quoted;
                        continue;
                    case State.FieldStart:
                        state = State.Unquoted;
                        break;
                }

                if (b == (byte)',')
                {
                    state = State.FieldStart;
                }
                else if (b is (byte)'\n' or (byte)'\r')
                {
                    if (breaks == 0)
                    {
                        return new(End.OneLine, consumed + i, 0);
                    }

                    // Past the break, CR LF included.
                    var end = consumed + i + 1;
                    if (b == (byte)'\r')
                    {
                        if (i + 1 < read)
                        {
                            end += buffer[i + 1] == (byte)'\n' ? 1 : 0;
                        }
                        else if (stream.ReadByte() == '\n')
                        {
                            end++;
                        }
                    }

                    return new(End.Closed, end, breaks);
                }
            }

            consumed += read;
        }

        return new(End.TooFar, consumed, breaks);
    }
}
