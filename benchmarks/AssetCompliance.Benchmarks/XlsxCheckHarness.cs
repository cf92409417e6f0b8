using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Security;
using System.Text;

namespace AssetCompliance.Benchmarks;

/// <summary>
/// Times <c>compliance check</c> of the same generated register as CSV and as an .xlsx workbook, whole process,
/// alternately in one run (issue 15: the workbook within 3x the CSV), with each process's peak resident memory read
/// from /proc while it runs. The workbook is written as Excel writes one: shared strings, a short-date style for
/// installed_on, booleans for site_sensitive, a &lt;dimension&gt; element.
/// </summary>
public static class XlsxCheckHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        var repetitions = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var cliProject = Path.Combine(RepositoryRoot.Find(), "tools", "AssetCompliance.Cli");
        Console.WriteLine("Building the CLI in Release (not timed)...");
        if (await Run("dotnet", ["build", cliProject, "-c", "Release", "-nologo", "-v", "q"]) is not (0, _, _))
        {
            Console.Error.WriteLine("error: the Release build of the CLI failed.");
            return 1;
        }

        var cli = Path.Combine(cliProject, "bin", "Release", "net10.0", "compliance.dll");
        var work = Directory.CreateTempSubdirectory("xlsx-bench-");
        var devices = SyntheticRegister.Generate(rows);
        var csv = Path.Combine(work.FullName, "register.csv");
        var xlsx = Path.Combine(work.FullName, "register.xlsx");
        await using (var writer = new StreamWriter(csv, false, new UTF8Encoding(false)))
        {
            SyntheticRegister.WriteCsv(devices, writer);
        }

        WriteWorkbook(devices, xlsx);
        Console.WriteLine($"Register: {rows:N0} rows; CSV {new FileInfo(csv).Length / 1048576.0:F1} MiB, xlsx {new FileInfo(xlsx).Length / 1048576.0:F1} MiB. {repetitions} alternating runs each.");
        var times = new Dictionary<string, List<(double Seconds, long PeakBytes)>> { ["csv"] = [], ["xlsx"] = [] };
        for (var i = 0; i < repetitions; i++)
        {
            foreach (var (kind, path) in new[] { ("csv", csv), ("xlsx", xlsx) })
            {
                var (code, seconds, peak) = await Run("dotnet", [cli, "check", path, "--format", "json", "--output", Path.Combine(work.FullName, kind + ".json")]);
                if (code is not (2 or 3 or 0))
                {
                    Console.Error.WriteLine($"error: check of the {kind} exited {code}.");
                    return 1;
                }

                times[kind].Add((seconds, peak));
            }
        }

        foreach (var (kind, list) in times)
        {
            Console.WriteLine($"check {kind,-4}: median {Timings.Median(list.Select(x => x.Seconds)):F3} s  [{string.Join(", ", list.Select(x => x.Seconds.ToString("F3", CultureInfo.InvariantCulture)))}]  peak RSS median {Timings.Median(list.Select(x => (double)x.PeakBytes)) / 1048576.0:F0} MiB");
        }

        var ratio = Timings.Median(times["xlsx"].Select(x => x.Seconds)) / Timings.Median(times["csv"].Select(x => x.Seconds));
        // The summaries differ (how each file was read, the sheet); the verdicts must not.
        var same = Verdicts(Path.Combine(work.FullName, "csv.json")).SequenceEqual(Verdicts(Path.Combine(work.FullName, "xlsx.json")));
        Console.WriteLine($"xlsx / csv ratio: {ratio:F2} ({(ratio <= 3 ? "PASS" : "FAIL")}: within 3x); the same verdicts for every device: {same}");
        work.Delete(recursive: true);
        return ratio <= 3 && same ? 0 : 3;
    }

    /// <summary>The devices as an .xlsx workbook, streamed part by part (memory holds the shared strings only).</summary>
    public static void WriteWorkbook(IReadOnlyList<SyntheticDevice> devices, string path)
    {
        const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        const string Rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        void Part(string name, string xml)
        {
            using var w = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
            w.Write(xml);
        }

        Part("[Content_Types].xml", """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>""");
        Part("_rels/.rels", $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{Rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
        Part("xl/workbook.xml", $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{Main}" xmlns:r="{Rel}"><sheets><sheet name="Register" sheetId="1" r:id="rId1"/></sheets></workbook>""");
        Part("xl/_rels/workbook.xml.rels", $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{Rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{Rel}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="{Rel}/styles" Target="styles.xml"/></Relationships>""");
        Part("xl/styles.xml", $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="{Main}"><fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>""");
        var strings = new Dictionary<string, int>(StringComparer.Ordinal);
        var order = new List<string>();
        int S(string s)
        {
            if (!strings.TryGetValue(s, out var i))
            {
                i = strings[s] = order.Count;
                order.Add(s);
            }

            return i;
        }

        using (var w = new StreamWriter(zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.Fastest).Open(), new UTF8Encoding(false)))
        {
            w.Write($"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{Main}"><dimension ref="A1:M{devices.Count + 1}"/><sheetData>""");
            var columns = "ABCDEFGHIJKLM";
            void Text(char column, int row, string value)
            {
                if (value.Length > 0)
                {
                    w.Write($"<c r=\"{column}{row}\" t=\"s\"><v>{S(value)}</v></c>");
                }
            }

            w.Write("<row r=\"1\">");
            var header = "asset_id,department,manufacturer,model,serial_number,mac_address,device_type,site_id,site_name,site_sensitive,network_segment,installed_on,status".Split(',');
            for (var c = 0; c < header.Length; c++)
            {
                Text(columns[c], 1, header[c]);
            }

            w.Write("</row>");
            for (var i = 0; i < devices.Count; i++)
            {
                var (d, r) = (devices[i], i + 2);
                w.Write($"<row r=\"{r}\">");
                Text('A', r, d.AssetId);
                Text('B', r, d.Department);
                Text('C', r, d.Manufacturer);
                Text('D', r, d.Model);
                Text('E', r, "SN-" + d.AssetId);
                Text('F', r, d.Mac);
                Text('G', r, d.DeviceType);
                Text('H', r, d.SiteId);
                Text('I', r, "Site " + d.SiteId);
                if (bool.TryParse(d.SiteSensitive, out var sensitive))
                {
                    w.Write($"<c r=\"J{r}\" t=\"b\"><v>{(sensitive ? 1 : 0)}</v></c>");
                }
                else
                {
                    Text('J', r, d.SiteSensitive);
                }

                Text('K', r, d.NetworkSegment);
                if (DateTime.TryParseExact(d.InstalledOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    w.Write($"<c r=\"L{r}\" s=\"1\"><v>{date.ToOADate().ToString(CultureInfo.InvariantCulture)}</v></c>");
                }
                else
                {
                    Text('L', r, d.InstalledOn);
                }

                Text('M', r, d.Status);
                w.Write("</row>");
            }

            w.Write("</sheetData></worksheet>");
        }

        using (var w = new StreamWriter(zip.CreateEntry("xl/sharedStrings.xml", CompressionLevel.Fastest).Open(), new UTF8Encoding(false)))
        {
            w.Write($"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{Main}" uniqueCount="{order.Count}">""");
            foreach (var s in order)
            {
                w.Write($"<si><t xml:space=\"preserve\">{SecurityElement.Escape(s)}</t></si>");
            }

            w.Write("</sst>");
        }
    }

    /// <summary>Each result's asset id, status, severity and rule, in report order.</summary>
    private static IEnumerable<string> Verdicts(string report)
    {
        using var stream = File.OpenRead(report);
        using var json = System.Text.Json.JsonDocument.Parse(stream);
        return json.RootElement.GetProperty("results").EnumerateArray()
            .Select(r => $"{r.GetProperty("assetId")}|{r.GetProperty("status")}|{r.GetProperty("severity")}|{r.GetProperty("rule")}").ToArray();
    }

    /// <summary>Runs a process to its end: exit code, wall time, and its peak resident set (VmHWM, read every 20 ms); its errors are shown when it failed.</summary>
    internal static async Task<(int ExitCode, double Seconds, long PeakBytes)> Run(string fileName, string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        long peak = 0;
        while (!process.HasExited)
        {
            peak = Math.Max(peak, PeakResident(process.Id));
            await Task.WhenAny(process.WaitForExitAsync(), Task.Delay(20));
        }

        await process.WaitForExitAsync();
        clock.Stop();
        await Task.WhenAll(stdout, stderr);
        if (process.ExitCode is not (0 or 2 or 3))
        {
            Console.Error.Write(await stderr);
        }

        return (process.ExitCode, clock.Elapsed.TotalSeconds, peak);
    }

    private static long PeakResident(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0; // the process ended between the check and the read
        }
    }
}
