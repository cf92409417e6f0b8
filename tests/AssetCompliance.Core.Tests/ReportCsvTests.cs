using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Registers;
using AssetCompliance.Core.State;

namespace AssetCompliance.Core.Tests;

/// <summary>The CSV field rule both exports share, and the folding of an event file into devices.</summary>
public sealed class ReportCsvTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+44 20 7946 0000", "'+44 20 7946 0000")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("\r=1", "\"'\r=1\"")]
    [InlineData("＝1+1", "'＝1+1")]
    [InlineData("Hikvision", "Hikvision")]
    [InlineData("a=b", "a=b")]
    [InlineData("Axis, Communications", "\"Axis, Communications\"")]
    [InlineData("4\" dome", "\"4\"\" dome\"")]
    [InlineData("", "")]
    public void A_field_never_starts_a_formula_and_is_quoted_when_it_must_be(string value, string field) =>
        Assert.Equal(field, ReportCsv.Field(value));

    private static RegisterRow Row(int line, string assetId, long revision, AssetEventKind kind = AssetEventKind.Upserted, string? manufacturer = "Axis", string department = "HO") =>
        new(line, kind, new RegisteredDevice { AssetId = assetId, Department = department, Revision = revision, Manufacturer = manufacturer, Model = kind == AssetEventKind.Removed ? null : "P3245" }, []);

    [Fact]
    public void The_highest_revision_wins_in_any_order_and_a_removal_keeps_what_the_revision_before_it_said()
    {
        var revisions = new LatestRevisions<ComplianceStatus>(s => s);
        revisions.Add(Row(1, "A", 2, manufacturer: "Hikvision"), ComplianceStatus.NonCompliant);
        revisions.Add(Row(2, "A", 3, AssetEventKind.Removed, manufacturer: null), ComplianceStatus.Removed);
        revisions.Add(Row(3, "A", 1), ComplianceStatus.Compliant);
        revisions.Add(Row(4, "A", 1, department: "DFE"), ComplianceStatus.Compliant); // another department's A is another device

        var latest = revisions.Latest().ToArray();

        Assert.Equal((4, 2), (revisions.Events, revisions.Devices));
        Assert.Equal((2, ComplianceStatus.Removed, 3), (latest[0].Row.Line, latest[0].Value, latest[0].Events));
        Assert.Equal(("Hikvision", "P3245", 3L), (latest[0].Row.Device!.Manufacturer, latest[0].Row.Device!.Model, latest[0].Row.Device!.Revision));
        Assert.Empty(latest[0].Warnings);
        Assert.Equal(("DFE", 1), (latest[1].Row.Device!.Department, latest[1].Events));
    }

    [Fact]
    public void One_revision_with_two_contents_reports_the_worse_and_warns_and_a_repeat_is_no_conflict()
    {
        var revisions = new LatestRevisions<ComplianceStatus>(s => s);
        revisions.Add(Row(1, "A", 2), ComplianceStatus.Compliant);
        revisions.Add(Row(2, "A", 2), ComplianceStatus.Compliant); // the same event again
        revisions.Add(Row(3, "B", 2, manufacturer: "Hikvision"), ComplianceStatus.NonCompliant);
        revisions.Add(Row(4, "B", 2), ComplianceStatus.Compliant);
        revisions.Add(Row(5, "B", 2, AssetEventKind.Removed), ComplianceStatus.Removed);

        var latest = revisions.Latest().ToDictionary(l => l.Row.Device!.AssetId);

        Assert.Equal((1, ComplianceStatus.Compliant), (latest["A"].Row.Line, latest["A"].Value));
        Assert.Empty(latest["A"].Warnings);
        Assert.Equal((3, ComplianceStatus.NonCompliant), (latest["B"].Row.Line, latest["B"].Value));
        var warning = Assert.Single(latest["B"].Warnings);
        Assert.Equal(("revision", "2", true), (warning.Column, warning.Value, warning.Unread));
        Assert.Contains("lines 3, 4, 5", warning.Message);
        Assert.True(LatestRevisions<int>.Risk(ComplianceStatus.Compliant) > LatestRevisions<int>.Risk(ComplianceStatus.Removed));
    }
}
