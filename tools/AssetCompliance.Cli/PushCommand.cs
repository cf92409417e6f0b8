using System.CommandLine;
using AssetCompliance.Azure;
using AssetCompliance.Azure.Api;
using AssetCompliance.Azure.ServiceBus;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.Registers;
using AssetCompliance.Core.State;
using Azure.Messaging.ServiceBus;

namespace AssetCompliance.Cli;

/// <summary>
/// <c>compliance push FILE --department D --namespace NS</c>: sends a department's register (CSV or JSON Lines, read
/// as <c>check</c> reads them) to the department's topic <c>asset-events-{d}</c> (which forwards to the
/// <c>asset-events</c> queue, vouching for the department) as events, signed in with the developer's or
/// pipeline's Azure identity. Event ids are stable per file version, so pushing the same file twice changes nothing.
/// Rows are sent leniently as <see cref="RegisterEvents"/> describes: unreadable optional cells are sent as unread
/// (<c>data.unreadFields</c>) and reported; a row the contract cannot carry as it is, is refused with the reason.
/// With <c>--sync</c> the file is the department's whole register (<see cref="RegisterSync"/>): the stored devices are
/// read from the API first (<see cref="ComplianceApiClient"/>), the plan is reported, and only what changed is sent.
/// </summary>
internal static class PushCommand
{
    public const string ExitCodes = """
        Exit codes: 0 every row sent, every cell read; 1 nothing could be tried (no file, bad --department, no
        namespace, --sync without the stored devices), or --dry-run's output could not be written at all (a full
        disk, a closed pipe); 2 some rows were not sent (a file check cannot read counts as all of them, and so does
        a queue, or a --dry-run output, that fails part way: the message says how many were confirmed; pushing the
        same file again is safe), or a --sync refused whole (too many removals: nothing sent); 3 every row sent, but
        some with cells sent as unread or with other warnings (each is reported).
        """;

    private const int ChunkSize = 200;

    /// <summary>Some rows were not sent: refused by the contract, or the queue failed part way.</summary>
    public const int ExitNotAllSent = 2;

    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "A register export: CSV with the documented header, or JSON Lines of CloudEvents (.jsonl)." };
        var department = new Option<string>("--department") { Description = "The department whose register this is; every row must belong to it.", Required = true };
        var ns = new Option<string?>("--namespace") { Description = "Service Bus namespace (ns.servicebus.windows.net); also read from ServiceBus__fullyQualifiedNamespace." };
        var revision = new Option<long?>("--revision") { Description = "Revision for rows without one (CSV). Default: the file's last-write time in Unix microseconds times two, the scale of NetBox webhook revisions." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Write the events as JSON Lines to standard output instead of sending them." };
        var sync = new Option<bool>("--sync")
        {
            Description = "The file is the department's whole register: devices stored and absent from it are sent as removals, and unchanged devices send nothing. "
                + "The stored devices are read from --api first; a sync that cannot read them sends nothing. Removals are refused when they exceed 10% of the stored devices in service (--allow-removals), and withheld when any row was not read or not sent.",
        };
        var allowRemovals = new Option<int?>("--allow-removals") { Description = "With --sync: permit up to N removals whatever their share of the stored devices." };
        var api = new ComplianceApiOptions("With --sync");
        var observations = new Option<bool>("--observations")
        {
            Description = "FILE is a network scan or inventory (nmap XML, runZero JSONL or CSV, Defender for Endpoint CSV), not a register: each device it saw is sent as one asset.device.observed event (contract v1.1) of --department. Not with --sync.",
        };
        var push = new Command("push", "Send a department's register as events to its Service Bus topic (asset-events-{department in lower case}), which forwards to the asset-events queue.\n\n" + ExitCodes) { file, department, ns, revision, dryRun, sync, allowRemovals, observations };
        api.AddTo(push);
        var reading = new RegisterOptions();
        reading.AddTo(push, department);
        push.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (reading.Read(parse, Console.Error) is not { } options)
            {
                return 1;
            }

            var target = parse.GetValue(ns) ?? Environment.GetEnvironmentVariable("ServiceBus__fullyQualifiedNamespace");
            var dry = parse.GetValue(dryRun);
            if (!dry && string.IsNullOrWhiteSpace(target))
            {
                await Console.Error.WriteLineAsync("error: give --namespace (or ServiceBus__fullyQualifiedNamespace), or --dry-run.");
                return 1;
            }

            if (parse.GetValue(observations))
            {
                if (parse.GetValue(sync))
                {
                    await Console.Error.WriteLineAsync("error: --observations sends a scan's observations; --sync is for a whole register. Give one of them.");
                    return 1;
                }

                await using var scanPublisher = dry ? null : new QueuePublisher(target!, parse.GetValue(department)!);
                return await RunObservationsAsync(path, parse.GetValue(department)!, dry ? new JsonLinesPublisher(Console.OpenStandardOutput()) : scanPublisher!, Console.Error, cancellationToken);
            }

            SyncRequest? syncRequest = null;
            if (parse.GetValue(allowRemovals) is { } allowed && (!parse.GetValue(sync) || allowed < 0))
            {
                await Console.Error.WriteLineAsync("error: --allow-removals takes a number of 0 or more, and only with --sync.");
                return 1;
            }

            if (parse.GetValue(sync))
            {
                if (await api.CreateAsync(parse, Console.Error, "--sync") is not { } created)
                {
                    return 1;
                }

                var (client, address) = created;
                syncRequest = new SyncRequest(t => client.GetStoredDevicesAsync(parse.GetValue(department)!, t), new RegisterSyncOptions { Removals = true, AllowRemovals = parse.GetValue(allowRemovals) }, address.ToString());
            }

            await using var publisher = dry ? null : new QueuePublisher(target!, parse.GetValue(department)!);
            return await RunAsync(path, parse.GetValue(department)!, parse.GetValue(revision), dry ? new JsonLinesPublisher(Console.OpenStandardOutput()) : publisher!,
                Console.Error, cancellationToken, options, syncRequest);
        });
        return push;
    }

    /// <summary>
    /// A sync (<c>--sync</c>): how to read the department's stored devices (throws <see cref="DependencyUnavailableException"/>
    /// when they cannot be read), the removal guard, and where they come from (for the messages).
    /// </summary>
    public sealed record SyncRequest(Func<CancellationToken, Task<IReadOnlyList<StoredDevice>>> ReadStored, RegisterSyncOptions Options, string From);

    public static async Task<int> RunAsync(string path, string department, long? revision, IAssetEventPublisher publisher, TextWriter report, CancellationToken cancellationToken,
        RegisterReadOptions? options = null, SyncRequest? sync = null)
    {
        if (!await InputsReadableAsync(path, department, report))
        {
            return 1;
        }

        var pushRevision = revision ?? RegisterEvents.RevisionAt(new DateTimeOffset(File.GetLastWriteTimeUtc(path)));
        IReadOnlyList<StoredDevice>? stored = null;
        if (sync is not null)
        {
            // Read before the file, and before anything is sent: without the whole stored list, nothing is known absent.
            try
            {
                stored = await sync.ReadStored(cancellationToken);
            }
            catch (DependencyUnavailableException e)
            {
                await report.WriteLineAsync(TerminalText.Safe($"error: --sync needs the department's stored devices, and {e.Reason}. Nothing was sent."));
                return 1;
            }
        }

        // What is sent and what is said: a sync's plan, or the push's own events.
        IReadOnlyList<OutgoingEvent> events;
        IReadOnlyList<RegisterRowError> errors, warnings;
        SyncPlan? plan = null;
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            if (!file.CanSeek)
            {
                await report.WriteLineAsync($"error: '{path}' is not a regular file (a pipe?); push reads files.");
                return 1;
            }

            // The rows are read one at a time; only the events to send are held, so that a bad row late in the file
            // is known before anything is sent.
            // The push's department fills a missing or blank one, as --department does for check.
            var rows = RegisterReader.Open(file, path, (options ?? RegisterReadOptions.Detect) with { Department = department }).Rows;
            if (sync is not null)
            {
                plan = RegisterSync.Plan(rows, department, stored!, pushRevision, DateTimeOffset.UtcNow, sync.Options);
                (events, errors, warnings) = (plan.Events, plan.Errors, plan.Warnings);
            }
            else
            {
                var push = RegisterEvents.From(rows, department, pushRevision, DateTimeOffset.UtcNow);
                (events, errors, warnings) = (push.Events, push.Errors, push.Warnings);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await report.WriteLineAsync($"error: '{path}' cannot be read: {e.Message}");
            return 1;
        }

        var name = Path.GetFileName(path);
        foreach (var error in errors)
        {
            await report.WriteLineAsync(TerminalText.Safe(error.Line > 0 ? $"{name}:{error.Line}: not sent: {error.Reason}" : $"{name}: not sent: {error.Reason}"));
        }

        foreach (var warning in warnings)
        {
            await report.WriteLineAsync(TerminalText.Safe($"{name}:{warning.Line}: sent with warnings: {warning.Reason}"));
        }

        if (plan is not null && !await ReportPlanAsync(plan, name, stored!.Count, sync!, report))
        {
            return ExitNotAllSent;
        }

        if (await SendAsync(events, name, publisher, report, cancellationToken) is { } failed)
        {
            return failed;
        }

        await report.WriteLineAsync($"{events.Count} event(s) from {name} for {department} (revision {pushRevision} where the file has none); {errors.Count} row(s) not sent; {warnings.Count} sent with warnings.");
        return errors.Count > 0 ? ExitNotAllSent : warnings.Count > 0 ? 3 : 0;
    }

    /// <summary>
    /// <c>push --observations</c>: every device the scan saw as one <c>asset.device.observed</c> event of the
    /// department (<see cref="ObservationEventWriter"/>), sent to the department's topic like register events. The
    /// scan is read whole first: a scan that does not read (malformed, cut short) sends nothing and exits 1, since the
    /// devices in the part not read would be missing. Exit codes as for a register: 2 when an observation is not sent,
    /// 3 when some were shortened to fit the contract.
    /// </summary>
    public static async Task<int> RunObservationsAsync(string path, string department, IAssetEventPublisher publisher, TextWriter report, CancellationToken cancellationToken)
    {
        if (!await InputsReadableAsync(path, department, report))
        {
            return 1;
        }

        var name = Path.GetFileName(path);
        List<Core.Observations.DeviceObservation> observed;
        try
        {
            await using var scan = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            observed = [.. Core.Observations.ScanReader.Read(scan, name)];
        }
        catch (Core.Observations.ObservationReadException e)
        {
            await report.WriteLineAsync(TerminalText.Safe($"error: {e.Message}. Nothing was sent."));
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await report.WriteLineAsync($"error: '{path}' cannot be read: {e.Message}");
            return 1;
        }

        var seenAt = new DateTimeOffset(File.GetLastWriteTimeUtc(path));
        var events = new List<OutgoingEvent>(observed.Count);
        var notSent = 0;
        var shortened = 0;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var observation in observed)
        {
            var draft = ObservationEventWriter.Write(observation, department, seenAt);
            foreach (var warning in draft.Warnings)
            {
                await report.WriteLineAsync(TerminalText.Safe($"{observation.Source}: sent with warnings: {warning}"));
            }

            shortened += draft.Warnings.Count > 0 ? 1 : 0;
            if (draft.Event is null)
            {
                notSent++;
                await report.WriteLineAsync(TerminalText.Safe($"{observation.Source}: not sent: {string.Join("; ", draft.Errors)}"));
            }
            else if (ids.Add(draft.EventId))
            {
                events.Add(new OutgoingEvent(draft.EventId, department, draft.Event));
            }
        }

        if (await SendAsync(events, name, publisher, report, cancellationToken) is { } failed)
        {
            return failed;
        }

        await report.WriteLineAsync($"{events.Count} observation event(s) from {name} for {department}; {notSent} observation(s) not sent; {shortened} sent with warnings.");
        return notSent > 0 ? ExitNotAllSent : shortened > 0 ? 3 : 0;
    }

    /// <summary>Whether the file can be opened and the department is a code; if not, says why (the command then exits 1).</summary>
    private static async Task<bool> InputsReadableAsync(string path, string department, TextWriter report)
    {
        if (CommandFiles.InputProblem(path) is { } problem)
        {
            await report.WriteLineAsync($"error: {problem}");
            return false;
        }

        if (Identifiers.DepartmentError(department) is { } departmentError)
        {
            await report.WriteLineAsync($"error: --department {departmentError}.");
            return false;
        }

        return true;
    }

    /// <summary>Sends the events in chunks; null when all were sent, else the exit code, with a line saying how many were confirmed.</summary>
    private static async Task<int?> SendAsync(IReadOnlyList<OutgoingEvent> events, string name, IAssetEventPublisher publisher, TextWriter report, CancellationToken cancellationToken)
    {
        var progress = ProgressBar.ForItems(events.Count);
        var sent = 0;
        foreach (var chunk in events.Chunk(ChunkSize))
        {
            try
            {
                await publisher.PublishAsync(chunk, cancellationToken);
            }
            catch (IOException e)
            {
                // --dry-run writing to a full disk or a closed pipe: a clear line, never a stack trace.
                progress?.Complete();
                await report.WriteLineAsync(TerminalText.Safe(
                    $"error: the events could not be written: {e.Message}. {(sent == 0 ? $"None of the {events.Count} event(s) from {name} was" : $"The first {sent} of {events.Count} event(s) from {name} were")} written before the failure."));
                return sent == 0 ? 1 : ExitNotAllSent;
            }
            catch (Exception e) when (e is DependencyUnavailableException or EventTooLargeException)
            {
                // Never a stack trace, and never a count that claims more than was confirmed. Pushing again is safe:
                // event ids are stable per file version, so what was enqueued is not applied twice.
                progress?.Complete();
                var confirmed = sent + (e is EventsNotEnqueuedException partial ? partial.Enqueued.Count : 0);
                var reason = e is EventTooLargeException large
                    ? $"event {large.EventId} is larger than a Service Bus message may be ({large.BodyBytes} bytes)"
                    : $"the queue is unavailable: {e.Message}";
                await report.WriteLineAsync(TerminalText.Safe(
                    $"error: {reason}. {confirmed} of {events.Count} event(s) from {name} were confirmed as enqueued; the rest may not have been. Push the same file again: events already enqueued are not applied twice."));
                return ExitNotAllSent;
            }

            sent += chunk.Length;
            progress?.Report(sent, sent);
        }

        progress?.Complete();
        return null;
    }

    /// <summary>
    /// Says what a sync will send, before it is sent: a line per device sent (new, changed, removed) and the counts;
    /// why removals are withheld; false, with the reason, when the plan is refused (nothing is sent).
    /// </summary>
    private static async Task<bool> ReportPlanAsync(SyncPlan plan, string name, int storedCount, SyncRequest sync, TextWriter report)
    {
        foreach (var device in plan.Devices.Where(d => d.Action != SyncAction.Unchanged))
        {
            var where = device.Line > 0 ? $"{name}:{device.Line}" : $"{name}: stored, not in the register";
            await report.WriteLineAsync(TerminalText.Safe($"{where}: {device.Action.ToString().ToLowerInvariant()}: {device.AssetId}"));
        }

        await report.WriteLineAsync($"sync of {name} against {storedCount} stored device(s) from {sync.From}: {plan.Planned} to send ({plan.New} new, {plan.Changed} changed, {plan.Removed} to remove), {plan.Unchanged} unchanged, {plan.Errors.Count} row(s) not sent.");
        if (plan.RemovalsWithheld is { } withheld)
        {
            await report.WriteLineAsync(TerminalText.Safe($"removals withheld: {withheld}."));
        }

        if (plan.Refusal is { } refusal)
        {
            await report.WriteLineAsync(TerminalText.Safe($"error: sync refused: {refusal}."));
            return false;
        }

        return true;
    }

    /// <summary>The real queue, with DefaultAzureCredential (developer sign-in, or the pipeline's federated identity).</summary>
    private sealed class QueuePublisher : IAssetEventPublisher, IAsyncDisposable
    {
        private readonly ServiceBusClient _client;
        private readonly ServiceBusSender _sender;
        private readonly ServiceBusEventPublisher _publisher;

        /// <summary>Sends to the department's own topic: its senders may send nowhere else, and the topic vouches for the department.</summary>
        public QueuePublisher(string fullyQualifiedNamespace, string department)
        {
            _client = new ServiceBusClient(fullyQualifiedNamespace, ComplianceCredential.Create(null));
            _sender = _client.CreateSender(ServiceBusEventPublisher.DepartmentTopic(department));
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
