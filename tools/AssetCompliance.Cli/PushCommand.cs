using System.CommandLine;
using System.Text;
using AssetCompliance.Azure;
using AssetCompliance.Azure.ServiceBus;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.Registers;
using Azure.Messaging.ServiceBus;

namespace AssetCompliance.Cli;

/// <summary>
/// <c>compliance push FILE --department D --namespace NS</c>: sends a department's register (CSV or JSON Lines, as
/// <c>check</c> reads them) to the <c>asset-events</c> queue as events, signed in with the developer's or pipeline's
/// Azure identity. Event ids are stable per file version, so pushing the same file twice changes nothing.
/// </summary>
internal static class PushCommand
{
    private const int ChunkSize = 200;

    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "A register export: CSV with the documented header, or JSON Lines of CloudEvents (.jsonl)." };
        var department = new Option<string>("--department") { Description = "The department whose register this is; every row must belong to it.", Required = true };
        var ns = new Option<string?>("--namespace") { Description = "Service Bus namespace (ns.servicebus.windows.net); also read from ServiceBus__fullyQualifiedNamespace." };
        var revision = new Option<long?>("--revision") { Description = "Revision for rows without one (CSV). Default: the file's last-write time in Unix seconds." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Write the events as JSON Lines to standard output instead of sending them." };
        var push = new Command("push", "Send a department's register to the asset-events queue as events.") { file, department, ns, revision, dryRun };
        push.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            var target = parse.GetValue(ns) ?? Environment.GetEnvironmentVariable("ServiceBus__fullyQualifiedNamespace");
            var dry = parse.GetValue(dryRun);
            if (!dry && string.IsNullOrWhiteSpace(target))
            {
                await Console.Error.WriteLineAsync("error: give --namespace (or ServiceBus__fullyQualifiedNamespace), or --dry-run.");
                return 1;
            }

            await using var publisher = dry ? null : new QueuePublisher(target!);
            return await RunAsync(path, parse.GetValue(department)!, parse.GetValue(revision), dry ? new JsonLinesPublisher(Console.OpenStandardOutput()) : publisher!,
                Console.Error, cancellationToken);
        });
        return push;
    }

    public static async Task<int> RunAsync(string path, string department, long? revision, IAssetEventPublisher publisher, TextWriter report, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            await report.WriteLineAsync($"error: '{path}' does not exist.");
            return 1;
        }

        if (Identifiers.DepartmentError(department) is { } departmentError)
        {
            await report.WriteLineAsync($"error: --department {departmentError}.");
            return 1;
        }

        var pushRevision = revision ?? new DateTimeOffset(File.GetLastWriteTimeUtc(path)).ToUnixTimeSeconds();
        IReadOnlyList<OutgoingEvent> events;
        IReadOnlyList<RegisterRowError> errors;
        using (var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
        {
            (events, errors) = RegisterEvents.From(RegisterReader.Read(reader, path).ToList(), department, pushRevision, DateTimeOffset.UtcNow);
        }

        foreach (var error in errors)
        {
            await report.WriteLineAsync($"{Path.GetFileName(path)}:{error.Line}: not sent: {error.Reason}");
        }

        var progress = events.Count >= 1000 && !Console.IsErrorRedirected ? new ProgressBar(Console.Error, events.Count) : null;
        var sent = 0;
        foreach (var chunk in events.Chunk(ChunkSize))
        {
            await publisher.PublishAsync(chunk, cancellationToken);
            sent += chunk.Length;
            progress?.Report(sent, sent);
        }

        progress?.Complete();
        await report.WriteLineAsync($"{sent} event(s) from {Path.GetFileName(path)} for {department} (revision {pushRevision} where the file has none); {errors.Count} row(s) not sent.");
        return errors.Count == 0 ? 0 : 2;
    }

    /// <summary>The real queue, with DefaultAzureCredential (developer sign-in, or the pipeline's federated identity).</summary>
    private sealed class QueuePublisher : IAssetEventPublisher, IAsyncDisposable
    {
        private readonly ServiceBusClient _client;
        private readonly ServiceBusSender _sender;
        private readonly ServiceBusEventPublisher _publisher;

        public QueuePublisher(string fullyQualifiedNamespace)
        {
            _client = new ServiceBusClient(fullyQualifiedNamespace, ComplianceCredential.Create(null));
            _sender = _client.CreateSender(ServiceBusEventPublisher.QueueName);
            _publisher = new ServiceBusEventPublisher(_sender);
        }

        public Task PublishAsync(IReadOnlyList<OutgoingEvent> events, CancellationToken cancellationToken) => _publisher.PublishAsync(events, cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await _sender.DisposeAsync();
            await _client.DisposeAsync();
        }
    }

    /// <summary>--dry-run: the events as JSON Lines, exactly as they would be sent.</summary>
    internal sealed class JsonLinesPublisher(Stream output) : IAssetEventPublisher
    {
        public async Task PublishAsync(IReadOnlyList<OutgoingEvent> events, CancellationToken cancellationToken)
        {
            foreach (var e in events)
            {
                await output.WriteAsync(e.Body, cancellationToken);
                await output.WriteAsync("\n"u8.ToArray(), cancellationToken);
            }

            await output.FlushAsync(cancellationToken);
        }
    }
}
