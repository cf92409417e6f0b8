using AssetCompliance.Core.Catalogue;
using BenchmarkDotNet.Attributes;

namespace AssetCompliance.Benchmarks;

/// <summary>
/// Identification of one device from manufacturer, model and MAC address over a realistic register mix
/// (<see cref="SyntheticRegister"/>). Target: at least 1,000,000 per second on one core, allocating only the result.
/// </summary>
[MemoryDiagnoser]
public class IdentificationBenchmarks
{
    private const int Devices = 10_000;
    private (string Manufacturer, string Model, string Mac)[] _inputs = [];
    private DeviceIdentifier _identifier = null!;

    [GlobalSetup]
    public void Setup()
    {
        _inputs = SyntheticRegister.Generate(Devices).Select(d => (d.Manufacturer, d.Model, d.Mac)).ToArray();
        _identifier = new DeviceIdentifier(VendorCatalogue.Default);
    }

    /// <summary>Steady state: the register's names and models have been seen before (the caches are warm).</summary>
    [Benchmark(OperationsPerInvoke = Devices)]
    public int IdentifyRealisticMix()
    {
        var identified = 0;
        foreach (var (manufacturer, model, mac) in _inputs)
        {
            if (_identifier.Identify(manufacturer, model, mac).Vendor is not null)
            {
                identified++;
            }
        }

        return identified;
    }

    /// <summary>MAC address only (the blank-manufacturer case): parse plus longest-prefix lookup.</summary>
    [Benchmark(OperationsPerInvoke = Devices)]
    public int IdentifyByMacOnly()
    {
        var identified = 0;
        foreach (var (_, _, mac) in _inputs)
        {
            if (_identifier.Identify(null, null, mac).Vendor is not null)
            {
                identified++;
            }
        }

        return identified;
    }

    /// <summary>A cold identifier per iteration: what the first register import after a deployment pays.</summary>
    [Benchmark(OperationsPerInvoke = Devices)]
    public int IdentifyColdCaches()
    {
        var identifier = new DeviceIdentifier(VendorCatalogue.Default);
        var identified = 0;
        foreach (var (manufacturer, model, mac) in _inputs)
        {
            if (identifier.Identify(manufacturer, model, mac).Vendor is not null)
            {
                identified++;
            }
        }

        return identified;
    }
}
