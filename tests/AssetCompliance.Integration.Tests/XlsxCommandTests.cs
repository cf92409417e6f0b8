using System.Text.Json;
using AssetCompliance.Cli;
using AssetCompliance.Core.Registers;
using AssetCompliance.Testing;
using static AssetCompliance.Testing.XlsxWorkbook;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// <c>compliance check</c> and <c>push</c> of .xlsx registers end to end, through the command line as a user types it:
/// verdicts and warnings as for the same rows in a CSV, <c>--sheet</c>, and exit 1 for a workbook not read.
/// The command is parsed and invoked as the shell does, so its messages go to <see cref="Console.Error"/>: the class
/// runs alone (<see cref="ConsoleCollection"/>) while it swaps that writer.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class XlsxCommandTests
{
    private static readonly object?[] Header = [.. Core.Registers.RegisterReader.CsvHeader];

    private static object?[] Camera(string id, string manufacturer = "Hikvision", string model = "DS-2CD2143G2-I", object? mac = null) =>
        [id, "HO", manufacturer, new Inline(model), 12345678L, mac, "camera", "HO-SITE", "Marsham Street", true, "segregated", new DateTime(2023, 1, 1), "in-service"];

    private static readonly byte[] TwoSheets = new XlsxWorkbook()
        .Sheet("Notes")
        .Sheet("Cameras", Header, Camera("CAM-1"), [], Camera("CAM-2", "Axis Communications", "P3245-LVE"))
        .Sheet("Doors", Header, Camera("DOOR-1", "Axis Communications", "P3245-LVE"))
        .ToBytes();

    /// <summary>Runs <c>compliance check FILE ARGS</c> as parsed from the command line, the report written to a file.</summary>
    private static async Task<(int Exit, string Output, string Errors)> CheckAsync(byte[] workbook, string extension = ".xlsx", params string[] arguments)
    {
        var path = Path.Combine(Path.GetTempPath(), $"register-{Guid.NewGuid():N}{extension}");
        var report = path + ".json";
        await File.WriteAllBytesAsync(path, workbook);
        var errors = new StringWriter();
        var originalError = Console.Error;
        try
        {
            Console.SetError(errors);
            var command = CheckCommand.Create();
            var exit = await command.Parse([path, "--format", "json", "--output", report, .. arguments]).InvokeAsync();
            return (exit, File.Exists(report) ? await File.ReadAllTextAsync(report) : "", errors.ToString());
        }
        finally
        {
            Console.SetError(originalError);
            File.Delete(path);
            File.Delete(report);
        }
    }

    private static Dictionary<string, JsonElement> Results(string json) =>
        JsonDocument.Parse(json).RootElement.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("assetId").GetString()!, r => r.Clone());

    [Fact]
    public async Task A_workbook_is_checked_from_its_first_non_empty_sheet_with_the_verdicts_of_a_csv()
    {
        // The 'Doors' sheet holds a register too: only --sheet says the first one is the whole of what is to be read.
        var (exit, output, errors) = await CheckAsync(TwoSheets, ".xlsx", "--sheet", "Cameras");

        Assert.Equal(CheckCommand.ExitNonCompliant, exit);
        Assert.DoesNotContain("error", errors);
        var results = Results(output);
        Assert.Equal(["CAM-1", "CAM-2"], results.Keys);
        Assert.Equal("NonCompliant", results["CAM-1"].GetProperty("status").GetString());
        Assert.Equal("Compliant", results["CAM-2"].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Without_sheet_a_second_sheet_holding_a_register_makes_the_check_not_fully_read()
    {
        // Its devices were dropped without a word, exit 2 as if the first sheet were the whole register.
        var (exit, output, errors) = await CheckAsync(TwoSheets);

        Assert.Equal(CheckCommand.ExitError, exit);
        Assert.Contains("sheet 'Doors' also holds a register", errors);
        Assert.Equal(["CAM-1", "CAM-2"], Results(output).Keys);
    }

    [Fact]
    public async Task Sheet_checks_the_sheet_named()
    {
        var (exit, output, _) = await CheckAsync(TwoSheets, ".xlsx", "--sheet", "doors");

        Assert.Equal(CheckCommand.ExitClean, exit);
        Assert.Equal(["DOOR-1"], Results(output).Keys);
    }

    [Fact]
    public async Task A_sheet_not_there_exits_1_naming_the_sheets()
    {
        var (exit, _, errors) = await CheckAsync(TwoSheets, ".xlsx", "--sheet", "Printers");

        Assert.Equal(CheckCommand.ExitError, exit);
        Assert.Contains("no sheet named 'Printers'; its sheets are 'Notes', 'Cameras', 'Doors'", errors);
    }

    [Fact]
    public async Task A_mac_excel_made_scientific_is_a_warning_and_the_device_is_still_judged()
    {
        var workbook = new XlsxWorkbook().Sheet("Register", Header, Camera("CAM-1", mac: 123456789012L)).ToBytes();

        var (exit, output, _) = await CheckAsync(workbook);

        var result = Results(output)["CAM-1"];
        Assert.Equal("NonCompliant", result.GetProperty("status").GetString());
        var warning = Assert.Single(result.GetProperty("warnings").EnumerateArray());
        Assert.Equal("mac_address", warning.GetProperty("column").GetString());
        Assert.Contains("scientific notation", warning.GetRawText());
        Assert.Equal(CheckCommand.ExitNonCompliant, exit);
    }

    [Theory]
    [InlineData(".xlsx")]
    [InlineData(".csv")]
    public async Task A_damaged_workbook_exits_1_and_says_it_is_a_workbook(string extension)
    {
        var good = new XlsxWorkbook().Sheet("Register", Header, Camera("CAM-1")).ToBytes();

        var (exit, _, errors) = await CheckAsync(good[..(good.Length * 2 / 3)], extension);

        Assert.Equal(CheckCommand.ExitError, exit);
        Assert.Contains("Excel workbook", errors);
    }

    [Fact]
    public async Task Push_reads_the_same_sheet_through_the_same_reader()
    {
        var path = Path.Combine(Path.GetTempPath(), $"push-{Guid.NewGuid():N}.xlsx");
        await File.WriteAllBytesAsync(path, TwoSheets);
        try
        {
            var publisher = new Collecting();
            var report = new StringWriter();

            var exit = await PushCommand.RunAsync(path, "HO", 42, publisher, report, CancellationToken.None, new RegisterReadOptions { Sheet = "Doors" });

            Assert.Equal(0, exit);
            var sent = Assert.Single(publisher.Sent);
            Assert.Equal("DOOR-1", JsonDocument.Parse(sent.Body).RootElement.GetProperty("data").GetProperty("assetId").GetString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed class Collecting : Core.Processing.IAssetEventPublisher
    {
        public List<Core.Processing.OutgoingEvent> Sent { get; } = [];

        public Task PublishAsync(IReadOnlyList<Core.Processing.OutgoingEvent> events, CancellationToken cancellationToken)
        {
            Sent.AddRange(events);
            return Task.CompletedTask;
        }
    }
}

/// <summary>Tests that swap <see cref="Console.Error"/> run alone, so no other test's messages land in theirs.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Console";
}
