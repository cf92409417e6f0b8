using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Registers;
using Xunit.Abstractions;

namespace AssetCompliance.Core.Tests;

/// <summary>
/// Accuracy against data the rules were not tuned on: a labelled register written from the direction's rules before it
/// was first run, and the reference extract of IEEE assignments to PRC vendors. The thresholds are the issue's.
/// </summary>
public sealed class AccuracyTests(ITestOutputHelper output)
{
    private static readonly DeviceIdentifier Identifier = new(VendorCatalogue.Default);
    private static readonly ComplianceEvaluator Evaluator = new(CompliancePolicy.Default);

    [Fact]
    public void The_labelled_register_is_classified_with_full_PRC_recall_no_false_positive_and_95_percent_verdicts()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "data", "labelled-register.csv"));
        var header = lines[0].Split(',');
        var expectations = lines.Skip(1).Select(l => l.Split(',')[^3..]).ToArray();
        // The reader must ignore the three label columns, as it ignores any extra column of a real export.
        var rows = RegisterReader.ReadCsv(string.Join('\n', lines)).ToArray();
        Assert.Equal(expectations.Length, rows.Length);
        Assert.All(rows, r => Assert.True(r.Device is not null && r.Warnings.Count == 0, string.Join("; ", r.Errors.Concat(r.Warnings.Select(w => w.Message)))));

        int prcExpected = 0, prcFound = 0, falsePositives = 0, verdictsRight = 0;
        var misses = new List<string>();
        for (var i = 0; i < rows.Length; i++)
        {
            var (status, severity, prc) = (expectations[i][0], expectations[i][1], bool.Parse(expectations[i][2]));
            var device = rows[i].Device!;
            var identification = Identifier.Identify(device.Manufacturer, device.Model, device.MacAddress);
            var evaluation = Evaluator.Evaluate(rows[i].Kind, device, identification);
            var isPrc = identification.Vendor?.SubjectToNationalIntelligenceLaw == true;
            prcExpected += prc ? 1 : 0;
            prcFound += prc && isPrc ? 1 : 0;
            falsePositives += !prc && isPrc ? 1 : 0;
            if (evaluation.Status.ToString() == status && (evaluation.Severity?.ToString() ?? "") == severity)
            {
                verdictsRight++;
            }
            else
            {
                misses.Add($"{device.AssetId} ({device.Manufacturer}/{device.Model}): expected {status} {severity}, got {evaluation.Status} {evaluation.Severity} [{evaluation.Rule}], vendor {identification.Vendor?.Key ?? "none"}");
            }
        }

        output.WriteLine($"PRC recall {prcFound}/{prcExpected}; false positives {falsePositives}; verdicts {verdictsRight}/{rows.Length}");
        misses.ForEach(output.WriteLine);
        Assert.True(header.Length == 16);
        Assert.True(prcFound >= prcExpected * 0.97, $"PRC recall {prcFound}/{prcExpected}");
        Assert.Equal(0, falsePositives);
        Assert.True(verdictsRight >= rows.Length * 0.95, $"verdicts {verdictsRight}/{rows.Length}:\n{string.Join('\n', misses)}");
    }

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
