using Microsoft.Extensions.Logging;

namespace AssetCompliance.Integration.Tests;

/// <summary>Log entries as a host's provider would receive them: level, event id, the formatted line and any exception.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    private readonly SemaphoreSlim _logged = new(0);

    public List<(LogLevel Level, int EventId, string Message, Exception? Exception)> Entries { get; } = [];

    /// <summary>
    /// Waits until at least <paramref name="count"/> entries were logged: a signal for logs written after what the test
    /// can observe (a server logs an abort after it reset the connection). The bound only keeps a broken test from
    /// hanging; it asserts nothing about time.
    /// </summary>
    public async Task WaitForAsync(int count)
    {
        while (true)
        {
            lock (Entries)
            {
                if (Entries.Count >= count)
                {
                    return;
                }
            }

            Assert.True(await _logged.WaitAsync(TimeSpan.FromMinutes(1)), $"fewer than {count} entries were logged");
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (Entries) Entries.Add((logLevel, eventId.Id, formatter(state, exception), exception));
        _logged.Release();
    }
}
