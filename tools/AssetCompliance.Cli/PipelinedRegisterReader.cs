using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AssetCompliance.Core.Registers;

namespace AssetCompliance.Cli;

/// <summary>
/// Reads a register and turns each row into a <typeparamref name="T"/> on a background thread, handing results over
/// in blocks, so that the work before output and the output itself each have a core. Reading starts at once and
/// overlaps whatever builds the transform (loading the catalogue); rows wait in memory until it is ready.
/// Order is kept. Figures are in benchmarks/README.md. When reading fails part way (a disk error, the file going
/// away), every row read before the failure is still handed over, and only then the failure.
/// </summary>
internal sealed class PipelinedRegisterReader<T>
{
    private const int BlockSize = 512;

    // A few blocks in flight bound memory however far the reader gets ahead of the output.
    private readonly Channel<T[]> _blocks = Channel.CreateBounded<T[]>(new BoundedChannelOptions(16) { SingleReader = true, SingleWriter = true });
    private readonly Task _producer;
    private long _bytesRead;

    /// <summary>Starts reading <paramref name="file"/>; <paramref name="sheet"/> names the sheet of a workbook to read (null: the first that is not empty).</summary>
    public PipelinedRegisterReader(Stream file, string path, Task<Func<RegisterRow, T>> transform, CancellationToken cancellationToken, string? sheet = null) =>
        _producer = Task.Run(() => Produce(file, path, sheet, transform, cancellationToken), cancellationToken);

    /// <summary>How far into the file the reader is, for a progress bar (the file itself belongs to the reading thread).</summary>
    public long BytesRead => Volatile.Read(ref _bytesRead);

    public async IAsyncEnumerable<T> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var block in _blocks.Reader.ReadAllAsync(cancellationToken))
        {
            foreach (var item in block)
            {
                yield return item;
            }
        }

        await _producer;
    }

    private async Task Produce(Stream file, string path, string? sheet, Task<Func<RegisterRow, T>> transform, CancellationToken cancellationToken)
    {
        var pending = new List<RegisterRow>(BlockSize);
        try
        {
            foreach (var row in RegisterReader.Read(file, path, sheet))
            {
                cancellationToken.ThrowIfCancellationRequested();
                pending.Add(row);
                if (pending.Count % 64 == 0)
                {
                    Volatile.Write(ref _bytesRead, file.Position);
                }

                if (pending.Count >= BlockSize && transform.IsCompleted)
                {
                    await Flush(pending);
                }
            }

            await Flush(pending);
            _blocks.Writer.Complete();
        }
        catch (Exception e)
        {
            // The rows read before a read failure are reported before it: flush them when the transform can still run
            // (not after a cancellation; if building the transform fails too, both failures are reported).
            if (e is not OperationCanceledException && pending.Count > 0)
            {
                try
                {
                    await Flush(pending);
                }
                catch (Exception flushFailure) when (flushFailure is not OutOfMemoryException)
                {
                    e = new AggregateException(e, flushFailure);
                }
            }

            // The consumer sees the failure (an unreadable file, a cancellation, a catalogue error), not a silent end.
            _blocks.Writer.Complete(e);
        }

        async Task Flush(List<RegisterRow> rows)
        {
            var map = await transform;
            for (var start = 0; start < rows.Count; start += BlockSize)
            {
                var block = new T[Math.Min(BlockSize, rows.Count - start)];
                for (var i = 0; i < block.Length; i++)
                {
                    block[i] = map(rows[start + i]);
                }

                await _blocks.Writer.WriteAsync(block, cancellationToken);
            }

            rows.Clear();
        }
    }
}
