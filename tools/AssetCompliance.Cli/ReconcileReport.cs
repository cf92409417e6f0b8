using System.Globalization;
using System.Text.Json;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Observations;
using AssetCompliance.Core.State;

namespace AssetCompliance.Cli;

/// <summary>
/// Writes reconcile's outcomes: a table for people (one line per outcome, then the explanation and the verdict's
/// reasons indented), JSON for tools (<c>outcomes</c> and <c>summary</c>), or CSV for spreadsheets (formula-guarded).
/// </summary>
internal static class ReconcileReport
{
    /// <summary>The CSV header.</summary>
    internal static readonly string[] Columns =
    [
        "outcome", "asset_id", "register_line", "matched_by", "candidates", "ip_addresses", "mac_addresses", "hostnames", "observed_by", "source",
        "registered_maker", "observed_maker", "segment", "site", "status", "severity", "rule", "explanation", "reasons",
    ];

    public static async Task WriteAsync(string format, IReadOnlyList<ReconcileOutcome> outcomes, int exit, string verdict, Stream output, bool indented)
    {
        if (format == "json")
        {
            // Synchronous writes: the report file is opened for synchronous I/O, where async writes only add hops.
            using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = indented });
            WriteJson(json, outcomes, exit, verdict, indented);
            json.Flush();
            output.WriteByte((byte)'\n');
            return;
        }

        await using var writer = new StreamWriter(output, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
        switch (format)
        {
            case "csv":
                await writer.WriteLineAsync(string.Join(',', Columns));
                foreach (var o in outcomes)
                {
                    await writer.WriteLineAsync(string.Join(',', Fields(o).Select(ReportCsv.Field)));
                }

                break;
            default:
                await writer.WriteLineAsync($"{"OUTCOME",-13} {"ASSET",-14} {"ADDRESS",-18} {"REGISTERED",-16} {"OBSERVED",-12} {"SEGMENT",-11} {"STATUS",-13} SEVERITY");
                foreach (var o in outcomes)
                {
                    var address = o.Observation?.IpAddresses.FirstOrDefault()?.ToString() ?? o.Observation?.MacAddresses.FirstOrDefault().ToString() ?? "-";
                    var asset = o.Outcome is ReconcileOutcomeKind.Unregistered or ReconcileOutcomeKind.Ambiguous ? "-" : o.Registered?.AssetId ?? "-";
                    await writer.WriteLineAsync(TerminalText.Safe($"{o.Outcome.ToWire(),-13} {asset,-14} {address,-18} {Cut(o.RegisteredMaker ?? "-", 16),-16} {Cut(o.ObservedMaker ?? "-", 12),-12} {o.Network?.Segment.ToWire() ?? o.Registered?.NetworkSegment?.ToWire() ?? "-",-11} {o.Evaluation?.Status.ToString() ?? "-",-13} {o.Evaluation?.Severity?.ToString() ?? "-"}"));
                    await writer.WriteLineAsync(TerminalText.Safe($"    {o.Explanation}"));
                    if (o.Evaluation is { } evaluation && evaluation.Status is not (Core.Policy.ComplianceStatus.Compliant))
                    {
                        foreach (var reason in evaluation.Reasons)
                        {
                            await writer.WriteLineAsync(TerminalText.Safe($"    - {reason}"));
                        }
                    }
                }

                await writer.WriteLineAsync();
                await writer.WriteLineAsync($"exit {exit}: {verdict}");
                break;
        }
    }

    private static string Cut(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";

    private static string[] Fields(ReconcileOutcome o) =>
    [
        o.Outcome.ToWire(), o.Outcome is ReconcileOutcomeKind.Unregistered or ReconcileOutcomeKind.Ambiguous ? "" : o.Registered?.AssetId ?? "",
        o.RegisterLine?.ToString(CultureInfo.InvariantCulture) ?? "", o.MatchedBy ?? "", string.Join(" ", o.Candidates),
        string.Join(" ", o.Observation?.IpAddresses.Select(a => a.ToString()) ?? []), string.Join(" ", o.Observation?.MacAddresses.Select(m => m.ToString()) ?? []),
        string.Join(" ", o.Observation?.Hostnames ?? []), o.Observation?.Observer ?? "", o.Observation?.Source ?? "",
        o.RegisteredMaker ?? "", o.ObservedMaker ?? "", o.Network?.Segment.ToWire() ?? "", o.Network?.Site ?? "",
        o.Evaluation?.Status.ToString() ?? "", o.Evaluation?.Severity?.ToString() ?? "", o.Evaluation?.Rule ?? "", o.Explanation, string.Join(" ", o.Evaluation?.Reasons ?? []),
    ];

    /// <summary>Outcomes per block written on a worker thread; a few blocks at a time bound the memory the report takes.</summary>
    private const int BlockSize = 2_048;

    private static void WriteJson(Utf8JsonWriter json, IReadOnlyList<ReconcileOutcome> outcomes, int exit, string verdict, bool indented)
    {
        {
            json.WriteStartObject();
            json.WriteStartArray("outcomes");
            if (indented)
            {
                // For a person at a terminal: one writer keeps the indentation; size is not a concern there.
                foreach (var o in outcomes)
                {
                    WriteOutcome(json, o);
                    if (json.BytesPending > 1 << 16)
                    {
                        json.Flush();
                    }
                }
            }
            else
            {
                WriteBlocksInParallel(json, outcomes);
            }

            json.WriteEndArray();
            json.WriteStartObject("summary");
            foreach (var kind in Enum.GetValues<ReconcileOutcomeKind>())
            {
                json.WriteNumber(kind.ToWire(), outcomes.Count(o => o.Outcome == kind));
            }

            json.WriteNumber("exit", exit);
            json.WriteString("verdict", verdict);
            json.WriteEndObject();
            json.WriteEndObject();
        }
    }

    /// <summary>
    /// The compact outcomes, formatted a block at a time on every core and written in order: on a /16 the JSON is
    /// about 90 MB, and one thread formatting it took a fifth of the command's time. Each block is formatted as an
    /// array of its own, and its contents (objects with commas between them) go into the report as one raw value, so
    /// the report's writer puts the comma between blocks.
    /// </summary>
    private static void WriteBlocksInParallel(Utf8JsonWriter json, IReadOnlyList<ReconcileOutcome> outcomes)
    {
        var blocks = (outcomes.Count + BlockSize - 1) / BlockSize;
        // Two blocks a core, at most 16 in memory at once (a block of 2,048 outcomes is about a megabyte), however
        // many cores the machine has.
        var wave = Math.Clamp(Environment.ProcessorCount * 2, 4, 16);
        // The buffers are kept from wave to wave: a megabyte-sized buffer per block would be a large-object allocation
        // each time, and those bring on full collections.
        var buffers = Enumerable.Range(0, Math.Min(wave, blocks)).Select(_ => new System.Buffers.ArrayBufferWriter<byte>(BlockSize * 512)).ToArray();
        for (var first = 0; first < blocks; first += wave)
        {
            var formatted = buffers.AsSpan(0, Math.Min(wave, blocks - first)).ToArray();
            Parallel.For(0, formatted.Length, b =>
            {
                var buffer = formatted[b];
                buffer.ResetWrittenCount();
                using var block = new Utf8JsonWriter(buffer);
                block.WriteStartArray();
                var start = (first + b) * BlockSize;
                for (var i = start; i < Math.Min(start + BlockSize, outcomes.Count); i++)
                {
                    WriteOutcome(block, outcomes[i]);
                }

                block.WriteEndArray();
                block.Flush();
            });
            foreach (var buffer in formatted)
            {
                json.WriteRawValue(buffer.WrittenSpan[1..^1], skipInputValidation: true);
            }

            json.Flush();
        }
    }

    private static void WriteOutcome(Utf8JsonWriter json, ReconcileOutcome o)
    {
        json.WriteStartObject();
        json.WriteString("outcome", o.Outcome.ToWire());
        if (o.Outcome is not (ReconcileOutcomeKind.Unregistered or ReconcileOutcomeKind.Ambiguous) && o.Registered is { } r)
        {
            json.WriteString("assetId", r.AssetId);
            json.WriteString("department", r.Department);
        }

        if (o.RegisterLine is { } line) json.WriteNumber("registerLine", line);
        if (o.MatchedBy is { } by) json.WriteString("matchedBy", by);
        if (o.Candidates.Count > 0)
        {
            json.WriteStartArray("candidates");
            foreach (var c in o.Candidates) json.WriteStringValue(c);
            json.WriteEndArray();
        }

        json.WriteString("registeredMaker", o.RegisteredMaker);
        json.WriteString("observedMaker", o.ObservedMaker);
        if (o.Observation is { } obs)
        {
            json.WriteStartObject("observation");
            json.WriteString("observer", obs.Observer);
            json.WriteString("source", obs.Source);
            if (obs.ObservedAt is { } at) json.WriteString("observedAt", at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            json.WriteStartArray("ipAddresses");
            foreach (var ip in obs.IpAddresses) json.WriteStringValue(ip.ToString());
            json.WriteEndArray();
            json.WriteStartArray("macAddresses");
            foreach (var mac in obs.MacAddresses) json.WriteStringValue(mac.ToString());
            json.WriteEndArray();
            json.WriteStartArray("hostnames");
            foreach (var name in obs.Hostnames) json.WriteStringValue(name);
            json.WriteEndArray();
            json.WriteStartArray("evidence");
            foreach (var e in obs.Evidence)
            {
                json.WriteStartObject();
                json.WriteString("signal", e.Signal.ToWire());
                json.WriteString("value", e.Value);
                json.WriteString("tool", e.Tool);
                if (e.Port is { } port) json.WriteNumber("port", port);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        if (o.Network is { } network)
        {
            json.WriteStartObject("network");
            json.WriteString("subnet", network.Network.ToString());
            json.WriteString("segment", network.Segment.ToWire());
            json.WriteString("site", network.Site);
            json.WriteEndObject();
        }

        if (o.Evaluation is { } evaluation)
        {
            json.WriteString("status", evaluation.Status.ToString());
            json.WriteString("severity", evaluation.Severity?.ToString());
            json.WriteString("rule", evaluation.Rule);
            json.WriteStartArray("reasons");
            foreach (var reason in evaluation.Reasons) json.WriteStringValue(reason);
            json.WriteEndArray();
        }

        json.WriteString("explanation", o.Explanation);
        json.WriteEndObject();
    }
}
