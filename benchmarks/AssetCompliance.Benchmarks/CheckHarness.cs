using System.Diagnostics;
using System.Globalization;
using System.Text;
using AssetCompliance.Core.Registers;

namespace AssetCompliance.Benchmarks;

/// <summary>
/// Times <c>compliance check</c> of a generated register as a whole process (start-up, catalogue load, read, identify,
/// evaluate, write JSON), against a baseline process that only parses the same file, measured alternately in the same
/// run so machine noise hits both. Build time is excluded: the Release build happens before the clock starts.
/// </summary>
public static class CheckHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        var repetitions = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 7;
        var root = RepositoryRoot.Find();
        var cliProject = Path.Combine(root, "tools", "AssetCompliance.Cli");
        Console.WriteLine("Building the CLI in Release (not timed)...");
        if (await RunProcessAsync("dotnet", ["build", cliProject, "-c", "Release", "-nologo", "-v", "q"]) is not (0, _))
        {
            Console.Error.WriteLine("error: the Release build of the CLI failed.");
            return 1;
        }

        var cli = Path.Combine(cliProject, "bin", "Release", "net10.0", "compliance.dll");
        var work = Directory.CreateTempSubdirectory("check-bench-");
        var register = Path.Combine(work.FullName, "register.csv");
        var output = Path.Combine(work.FullName, "results.json");
        await using (var writer = new StreamWriter(register, false, new UTF8Encoding(false)))
        {
            SyntheticRegister.WriteCsv(SyntheticRegister.Generate(rows), writer);
        }

        Console.WriteLine($"Register: {rows:N0} rows, {new FileInfo(register).Length / 1024.0 / 1024.0:F1} MiB. {repetitions} alternating runs each.");
        var self = typeof(CheckHarness).Assembly.Location;
        var parseTimes = new List<double>();
        var checkTimes = new List<double>();
        for (var i = 0; i < repetitions; i++)
        {
            var (parseCode, parseSeconds) = await RunProcessAsync("dotnet", [self, "parse-only", register]);
            var (checkCode, checkSeconds) = await RunProcessAsync("dotnet", [cli, "check", register, "--format", "json", "--output", output]);
            if (parseCode != 0 || checkCode is not (0 or 2 or 3))
            {
                Console.Error.WriteLine($"error: parse-only exited {parseCode}, check exited {checkCode}.");
                return 1;
            }

            parseTimes.Add(parseSeconds);
            checkTimes.Add(checkSeconds);
        }

        var results = CountResults(output);
        var parseMedian = Timings.Median(parseTimes);
        var checkMedian = Timings.Median(checkTimes);
        Console.WriteLine($"parse only (baseline):   median {parseMedian:F3} s  [{string.Join(", ", parseTimes.Select(t => t.ToString("F3", CultureInfo.InvariantCulture)))}]");
        Console.WriteLine($"check --format json:     median {checkMedian:F3} s  [{string.Join(", ", checkTimes.Select(t => t.ToString("F3", CultureInfo.InvariantCulture)))}]");
        Console.WriteLine($"check / parse ratio:     {checkMedian / parseMedian:F2}");
        Console.WriteLine($"results written:         {results:N0} ({new FileInfo(output).Length / 1024.0 / 1024.0:F1} MiB JSON)");
        Console.WriteLine(checkMedian < 1.5 ? "PASS: under 1.5 s" : "FAIL: 1.5 s or more");
        work.Delete(recursive: true);
        return checkMedian < 1.5 ? 0 : 3;
    }

    /// <summary>Writes a generated register to a file, for trying <c>compliance check</c> by hand.</summary>
    public static int Generate(int rows, string path)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        SyntheticRegister.WriteCsv(SyntheticRegister.Generate(rows), writer);
        return 0;
    }

    /// <summary>The baseline process: read every row of the register and do nothing else.</summary>
    public static int ParseOnly(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var devices = 0;
        foreach (var row in RegisterReader.Read(file, path))
        {
            if (row.Device is not null)
            {
                devices++;
            }
        }

        Console.WriteLine(devices);
        return 0;
    }

    private static int CountResults(string path)
    {
        using var stream = File.OpenRead(path);
        using var document = System.Text.Json.JsonDocument.Parse(stream);
        return document.RootElement.GetProperty("results").GetArrayLength();
    }

    private static async Task<(int ExitCode, double Seconds)> RunProcessAsync(string fileName, string[] arguments)
    {
        var (code, seconds, _) = await XlsxCheckHarness.Run(fileName, arguments);
        return (code, seconds);
    }
}
