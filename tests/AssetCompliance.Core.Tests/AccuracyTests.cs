using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Registers;
using System.Text.Json;
using Xunit.Abstractions;

namespace AssetCompliance.Core.Tests;

/// <summary>
/// Accuracy against data the rules were not tuned on: a labelled register written from the direction's rules before the
/// engine was run on it, and the reference extract of IEEE assignments to PRC vendors. The thresholds are issue 14's.
/// </summary>
public sealed class AccuracyTests(ITestOutputHelper output)
{
    private static readonly DeviceIdentifier Identifier = new(VendorCatalogue.Default);
    private static readonly ComplianceEvaluator Evaluator = new(CompliancePolicy.Default);

    /// <summary>
    /// The labelled register (<c>data/labelled-register.csv</c>, described in <c>data/labelled-register.md</c>): a register in
    /// the documented CSV format plus label columns, read by header name. The four measures, reported separately:
    /// recall over rows whose maker is subject to the law (<c>expected_prc</c> true), false positives over rows whose maker
    /// is not (<c>false</c>; <c>unknown</c> rows, contested makers, count for neither), status accuracy over all rows, and
    /// severity accuracy over the rows whose expected or actual status is NonCompliant (same status and severity).
    /// </summary>
    [Fact]
    public void The_labelled_register_is_classified_with_97_percent_PRC_recall_no_false_positive_and_95_percent_statuses_and_severities()
    {
        var (labels, rows) = ReadLabelledRegister();
        int prcExpected = 0, prcFound = 0, statusesRight = 0, severityRows = 0, severitiesRight = 0;
        var falsePositives = new List<string>();
        var misses = new List<(string Kind, string Text)>();
        for (var i = 0; i < rows.Length; i++)
        {
            var label = labels[i];
            var device = rows[i].Device!;
            var identification = Identifier.Identify(device.Manufacturer, device.Model, device.MacAddress);
            var evaluation = Evaluator.Evaluate(rows[i].Kind, device, identification);
            var isPrc = identification.Vendor?.SubjectToNationalIntelligenceLaw == true;
            var (status, severity) = (evaluation.Status.ToString(), evaluation.Severity?.ToString() ?? "");
            var text = $"{label.AssetId} ({device.Manufacturer}/{device.Model}/{device.MacAddress}, {device.DeviceType}): expected {label.Status} {label.Severity} prc={label.Prc}, got {status} {severity} [{evaluation.Rule}] vendor {identification.Vendor?.Key ?? "none"}";
            if (label.Prc == "true")
            {
                prcExpected++;
                prcFound += isPrc ? 1 : 0;
                if (!isPrc)
                {
                    misses.Add((label.Kind, "not identified as PRC: " + text));
                }
            }
            else if (label.Prc == "false" && isPrc)
            {
                falsePositives.Add(text);
                misses.Add((label.Kind, "FALSE POSITIVE: " + text));
            }

            var statusRight = status == label.Status;
            statusesRight += statusRight ? 1 : 0;
            if (label.Status == "NonCompliant" || status == "NonCompliant")
            {
                severityRows++;
                severitiesRight += statusRight && severity == label.Severity ? 1 : 0;
            }

            if (!statusRight || severity != label.Severity)
            {
                misses.Add((label.Kind, "verdict: " + text));
            }
        }

        double Ratio(int a, int b) => b == 0 ? 1 : (double)a / b;
        output.WriteLine($"rows {rows.Length}; PRC recall {prcFound}/{prcExpected} = {Ratio(prcFound, prcExpected):P1}; false positives {falsePositives.Count}; " +
            $"statuses {statusesRight}/{rows.Length} = {Ratio(statusesRight, rows.Length):P1}; severities {severitiesRight}/{severityRows} = {Ratio(severitiesRight, severityRows):P1}");
        foreach (var group in misses.GroupBy(m => m.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"-- {group.Key}: {group.Count()}");
            foreach (var miss in group)
            {
                output.WriteLine("   " + miss.Text);
            }
        }

        var report = string.Join('\n', misses.Select(m => $"{m.Kind}: {m.Text}"));
        Assert.True(prcFound >= prcExpected * 0.97, $"PRC recall {prcFound}/{prcExpected}:\n{report}");
        Assert.True(falsePositives.Count == 0, "false positives:\n" + string.Join('\n', falsePositives));
        Assert.True(statusesRight >= rows.Length * 0.95, $"statuses {statusesRight}/{rows.Length}:\n{report}");
        Assert.True(severitiesRight >= severityRows * 0.95, $"severities {severitiesRight}/{severityRows}:\n{report}");
    }

    [Fact]
    public void The_labelled_register_is_well_formed_and_every_label_names_its_sources()
    {
        var (labels, rows) = ReadLabelledRegister();
        using var sources = JsonDocument.Parse(File.ReadAllText(DataFile("labelled-register.sources.json")));
        Assert.True(labels.Length >= 300, $"{labels.Length} rows");
        Assert.Equal(labels.Length, labels.Select(l => l.AssetId).Distinct(StringComparer.Ordinal).Count());
        foreach (var label in labels)
        {
            Assert.Contains(label.Status, new[] { "Compliant", "Advisory", "NeedsReview", "NonCompliant", "Removed" });
            Assert.True((label.Status == "NonCompliant") == (label.Severity is "High" or "Critical"), $"{label.AssetId}: severity '{label.Severity}' with {label.Status}");
            Assert.Contains(label.Prc, new[] { "true", "false", "unknown" });
            Assert.False(string.IsNullOrWhiteSpace(label.Kind), label.AssetId);
            var colon = label.Basis.IndexOf(':', StringComparison.Ordinal);
            Assert.True(colon > 0 && label.Basis[(colon + 1)..].Trim().Length > 0, $"{label.AssetId}: basis '{label.Basis}' is not 'SOURCE+SOURCE: why'");
            foreach (var id in label.Basis[..colon].Split('+'))
            {
                Assert.True(sources.RootElement.TryGetProperty(id, out var source) && source.TryGetProperty("url", out _) && source.TryGetProperty("date", out _),
                    $"{label.AssetId}: source '{id}' is not in labelled-register.sources.json with a url and a date");
            }
        }

        Assert.All(rows.Zip(labels), pair => Assert.Equal(pair.Second.Status == "Removed", pair.First.Kind == AssetEventKind.Removed));
    }

    private sealed record Label(string AssetId, string Status, string Severity, string Prc, string Kind, string Basis);

    /// <summary>
    /// The labels, read by column name, and the same file read as a register. The reader ignores the label columns, as it
    /// ignores any extra column of a real export; the only warning accepted is the blank site id of the rows that state a
    /// sensitivity without naming the site (issue item 6), which the reader rightly reports.
    /// </summary>
    private static (Label[] Labels, RegisterRow[] Rows) ReadLabelledRegister()
    {
        var text = File.ReadAllText(DataFile("labelled-register.csv"));
        var labels = new List<Label>();
        using (var csv = CsvHelper.CsvReader.FromText(text))
        {
            while (csv.Read())
            {
                labels.Add(new Label(csv.GetString("asset_id"), csv.GetString("expected_status"), csv.GetString("expected_severity"),
                    csv.GetString("expected_prc"), csv.GetString("kind"), csv.GetString("basis")));
            }
        }

        var rows = RegisterReader.ReadCsv(text).ToArray();
        Assert.Equal(labels.Count, rows.Length);
        for (var i = 0; i < rows.Length; i++)
        {
            var row = rows[i];
            Assert.True(row.Device is not null, $"{labels[i].AssetId}: " + string.Join("; ", row.Errors));
            Assert.Equal(labels[i].AssetId, row.Device!.AssetId);
            var unexpected = row.Warnings.Where(w => !(w.Column == "site_id" && row.Device.Site?.Id is null or "")).ToArray();
            Assert.True(unexpected.Length == 0, $"{labels[i].AssetId}: " + string.Join("; ", unexpected.Select(w => $"{w.Column}: {w.Message}")));
        }

        return (labels.ToArray(), rows);
    }

    private static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "data", name);

    [Fact]
    public void Every_IEEE_block_of_a_PRC_vendor_in_the_reference_extract_identifies_a_PRC_law_vendor()
    {
        var rows = ReadReference("prc-vendor-oui.csv");
        // Reolink is contested (the issue says so): the catalogue records it as an open question, not as PRC.
        var considered = rows.Where(r => r.VendorKey != "reolink").ToArray();
        var missed = considered.Where(r => Identifier.Identify(null, null, MacIn(r.Prefix)).Vendor?.SubjectToNationalIntelligenceLaw != true).ToArray();

        output.WriteLine($"{considered.Length - missed.Length}/{considered.Length} PRC blocks identified");
        Assert.True(considered.Length > 2800);
        Assert.True(missed.Length <= considered.Length * 0.01, "missed: " + string.Join(", ", missed.Take(20).Select(m => $"{m.Prefix} {m.VendorKey}")));
    }

    [Fact]
    public void Blocks_of_non_PRC_relabellers_are_never_reported_as_PRC_law_vendors()
    {
        foreach (var row in ReadReference("nonprc-relabeller-oui.csv"))
        {
            var identification = Identifier.Identify(null, null, MacIn(row.Prefix));
            Assert.NotEqual(true, identification.Vendor?.SubjectToNationalIntelligenceLaw);
        }
    }

    private sealed record ReferenceRow(string Prefix, string VendorKey);

    private static ReferenceRow[] ReadReference(string name)
    {
        var text = string.Join('\n', File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "data", name)).Where(l => !l.StartsWith('#')));
        using var csv = CsvHelper.CsvReader.FromText(text);
        var rows = new List<ReferenceRow>();
        while (csv.Read())
        {
            rows.Add(new ReferenceRow(csv.GetString(0), csv.GetString(2)));
        }

        return rows.ToArray();
    }

    /// <summary>A MAC address inside the block: the prefix followed by zeros.</summary>
    private static string MacIn(string prefix) => prefix.PadRight(12, '0');
}
