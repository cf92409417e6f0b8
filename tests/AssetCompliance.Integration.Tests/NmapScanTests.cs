using System.Diagnostics;
using System.Text;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Observations;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// The real nmap binary (Debian's package; .ci/install-tools installs it) scans a stand-in Hikvision device on loopback,
/// and the nmap XML reader and the fingerprints identify it. A missing nmap fails the test with the install step named:
/// nothing is skipped silently.
/// </summary>
public sealed class NmapScanTests
{
    /// <summary>Set to a path to also write the scan there as the committed fixture (tests/AssetCompliance.Core.Tests/data/nmap-loopback-hikvision.xml).</summary>
    public const string FixtureVariable = "ASSETCOMPLIANCE_WRITE_NMAP_FIXTURE";

    [Fact]
    public async Task Real_nmap_against_a_loopback_hikvision_stand_in_is_read_and_identified_as_hikvision()
    {
        var nmap = FindNmap();
        Assert.True(nmap is not null, "nmap is not installed: run .ci/install-tools (it runs `apt-get install -y nmap`), the README's install step, then the tests again.");

        await using var camera = LoopbackCamera.Start();
        var ports = $"{camera.CameraHttpPort},{camera.NvrHttpPort},{camera.RtspPort}";
        // -sT: a connect scan, which needs no privileges (CI runners are not root); -Pn: loopback needs no discovery.
        // --host-timeout bounds the run; the process is also killed if it outlives the test's own bound.
        var arguments = $"-sT -Pn -n -sV -p {ports} --script http-server-header,rtsp-methods --host-timeout 120s -oX - 127.0.0.1";
        var (exit, xml, errors) = await RunAsync(nmap!, arguments, TimeSpan.FromMinutes(3));
        Assert.True(exit == 0, $"nmap {arguments} exited {exit}: {errors}");

        var host = Assert.Single(NmapXmlReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(xml)), "nmap-stdout.xml").ToList());
        Assert.Contains(host.Evidence, e => e.Signal == ObservedSignal.HttpServer && e.Value == "App-webs/" && e.Port == camera.CameraHttpPort);
        Assert.Contains(host.Evidence, e => e.Signal == ObservedSignal.HttpServer && e.Value == "DNVRS-Webs" && e.Port == camera.NvrHttpPort);
        Assert.Contains(host.Evidence, e => e.Signal == ObservedSignal.RtspMethods && e.Port == camera.RtspPort);

        var fingerprints = FingerprintCatalogue.Default.EvidenceOf(host.Evidence);
        var identification = new DeviceIdentifier(VendorCatalogue.Default).Identify(null, null, null, fingerprints);
        Assert.Equal("hikvision", identification.Vendor?.Key);

        if (Environment.GetEnvironmentVariable(FixtureVariable) is { Length: > 0 } fixture)
        {
            var version = (await RunAsync(nmap!, "--version", TimeSpan.FromSeconds(30))).Output.Split('\n')[0].Trim();
            var header = $"<!-- Made by the real nmap binary ({version}, Debian package) scanning the loopback stand-in camera of\n" +
                         "     tests/AssetCompliance.Integration.Tests/LoopbackCamera.cs (HTTP Server: App-webs/ and DNVRS-Webs, an RTSP responder), with\n" +
                         $"     nmap {arguments.Replace("--", "- -", StringComparison.Ordinal)}\n" +
                         $"     (double hyphens are spaced apart here because an XML comment cannot hold them), written by\n" +
                         $"     {FixtureVariable}=PATH dotnet test tests/AssetCompliance.Integration.Tests - -filter NmapScanTests on {DateTime.UtcNow:yyyy-MM-dd}. -->\n";
            var declarationEnd = xml.IndexOf("?>", StringComparison.Ordinal) + 2;
            await File.WriteAllTextAsync(fixture, xml[..declarationEnd] + "\n" + header + xml[declarationEnd..].TrimStart('\n'));
        }
    }

    private static string? FindNmap() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, "nmap")).FirstOrDefault(File.Exists);

    private static async Task<(int Exit, string Output, string Errors)> RunAsync(string file, string arguments, TimeSpan bound)
    {
        using var process = new Process { StartInfo = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false } };
        process.Start();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(bound);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // What the test starts, it stops: by its own process handle.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"{file} {arguments} did not finish within {bound}: {await errors}");
        }

        return (process.ExitCode, await output, await errors);
    }
}
