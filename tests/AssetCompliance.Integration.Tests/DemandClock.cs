using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// A fake clock that moves only when the code under test waits on it, and then by exactly the wait it asked for, so
/// a test of spacing, backoff or Retry-After asserts on the delays the code requested and on exact fake times, never
/// on how long anything took on a shared, loaded machine. Every timer the code creates (<c>Task.Delay</c>, Polly's
/// waits, a <c>CancellationTokenSource</c> timeout on this provider) is recorded in <see cref="Requested"/>;
/// <see cref="DriveAsync{T}"/> moves the clock to each timer's due time in the order they were asked for, which
/// suits code that waits on one timer at a time (the sender's rate gate and its retries).
/// </summary>
internal sealed class DemandClock(DateTimeOffset start) : TimeProvider
{
    private readonly FakeTimeProvider _fake = new(start);
    private readonly Channel<DateTimeOffset> _due = Channel.CreateUnbounded<DateTimeOffset>();

    /// <summary>Every finite, positive wait the code asked for, in order.</summary>
    public ConcurrentQueue<TimeSpan> Requested { get; } = new();

    public override DateTimeOffset GetUtcNow() => _fake.GetUtcNow();

    public override long GetTimestamp() => _fake.GetTimestamp();

    public override long TimestampFrequency => _fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => _fake.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var due = _fake.GetUtcNow() + dueTime;
        var timer = _fake.CreateTimer(callback, state, dueTime, period);
        if (dueTime > TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
        {
            Requested.Enqueue(dueTime);
            _due.Writer.TryWrite(due);
        }

        return timer;
    }

    /// <summary>Until <paramref name="work"/> ends, moves the clock to each requested timer's due time as it is asked for.</summary>
    public async Task<T> DriveAsync<T>(Task<T> work)
    {
        while (!work.IsCompleted)
        {
            var asked = _due.Reader.WaitToReadAsync().AsTask();
            if (await Task.WhenAny(work, asked) == work)
            {
                break;
            }

            while (_due.Reader.TryRead(out var due))
            {
                if (due > _fake.GetUtcNow())
                {
                    _fake.SetUtcNow(due);
                }
            }
        }

        return await work;
    }
}
