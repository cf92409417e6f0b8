using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace AssetCompliance.Infra.Tests;

/// <summary>The Bicep CLI from the NuGet package this project downloads (Azure.Bicep.CommandLine.{platform}).</summary>
internal static class BicepCli
{
    public static string InfraDirectory { get; } = FindInfra();

    private static readonly Lazy<string> Executable = new(() =>
    {
        var folder = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "BicepPackageFolder")?.Value
            ?? throw new InvalidOperationException("No Bicep CLI package for this platform: the test project downloads linux-x64, linux-arm64, osx-x64, osx-arm64 and win-x64 builds.");
        var path = Path.Combine(folder, "tools", OperatingSystem.IsWindows() ? "bicep.exe" : "bicep");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The Bicep CLI is not at {path}; run 'dotnet restore'.", path);
        }

        if (!OperatingSystem.IsWindows())
        {
            // NuGet does not always keep the executable bit.
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute);
        }

        return path;
    });

    public sealed record Result(int ExitCode, string Output, string Errors);

    public static async Task<Result> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable.Value) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = InfraDirectory };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // No telemetry, and no network: the CLI has the Azure types built in.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new Result(process.ExitCode, await output, await errors);
    }

    private static readonly Lazy<Task<JsonElement>> Compiled = new(async () =>
    {
        var result = await RunAsync("build", "main.bicep", "--stdout");
        Assert.True(result.ExitCode == 0, result.Errors);
        return JsonDocument.Parse(result.Output).RootElement.Clone();
    });

    /// <summary>main.bicep compiled to an ARM template (nested modules inline).</summary>
    public static Task<JsonElement> CompiledMainAsync() => Compiled.Value;

    private static string FindInfra()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var infra = Path.Combine(directory.FullName, "infra");
            if (File.Exists(Path.Combine(infra, "main.bicep")))
            {
                return infra;
            }
        }

        throw new InvalidOperationException("infra/main.bicep not found above the test directory");
    }
}

/// <summary>A resource in the compiled template, with the template that declares it (for its variables).</summary>
internal sealed record ArmResource(JsonElement Resource, JsonElement Template)
{
    public string Type => Resource.GetProperty("type").GetString()!;

    public JsonElement Properties => Resource.GetProperty("properties");

    public static IEnumerable<ArmResource> All(JsonElement template)
    {
        foreach (var resource in template.GetProperty("resources").EnumerateArray())
        {
            yield return new ArmResource(resource, template);
            if (resource.GetProperty("type").GetString() == "Microsoft.Resources/deployments")
            {
                foreach (var nested in All(resource.GetProperty("properties").GetProperty("template")))
                {
                    yield return nested;
                }
            }
        }
    }
}
