using System.Runtime.ExceptionServices;

namespace AssetCompliance.Core.Registers;

/// <summary>
/// A register stream whose read failure (a disk error, a share that goes away) is held back until the rows read
/// before it have been handed out. The CSV library fills a large buffer at a time, so a failure in the middle of a
/// fill would otherwise throw away every complete row already in that buffer. The stream reports the end of the
/// data where the failure was (<see cref="FailedAt"/>); the reader then drops the record that reaches that point
/// (it may be cut short) and throws <see cref="ThrowIfFailed"/>'s exception after the complete ones.
/// </summary>
internal sealed class DeferredFailureStream(Stream inner) : Stream
{
    private ExceptionDispatchInfo? _failure;

    /// <summary>The offset the data ends at because of the failure, or null while reads succeed.</summary>
    public long? FailedAt { get; private set; }

    /// <summary>Throws the read failure that was held back, if there was one.</summary>
    public void ThrowIfFailed() => _failure?.Throw();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_failure is not null && inner.Position >= FailedAt)
        {
            return 0;
        }

        var at = inner.Position;
        try
        {
            return inner.Read(buffer);
        }
        catch (IOException e)
        {
            _failure ??= ExceptionDispatchInfo.Capture(e);
            FailedAt = Math.Min(FailedAt ?? at, at);
            return 0;
        }
    }

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position { get => inner.Position; set => inner.Position = value; }

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
