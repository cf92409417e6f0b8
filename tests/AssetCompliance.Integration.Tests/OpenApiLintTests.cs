using System.Diagnostics;
using System.Text.Json;
using AssetCompliance.Api;
using AssetCompliance.Azure.Emulator;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// The served document linted by Redocly CLI (pinned in tools/openapi-lint, installed by <c>npm ci</c> on first use as
/// the other npm tools are) with its recommended rules (tools/openapi-lint/redocly.yaml): no error.
/// </summary>
public sealed class OpenApiLintTests
{
    [Fact]
    public async Task The_document_lints_without_an_error_under_the_recommended_rules()
    {
        var tool = Path.Combine(RepositoryPaths.Root, "tools", "openapi-lint");
        var cli = Path.Combine(tool, "node_modules", "@redocly", "cli", "bin", "cli.js");
        await NpmTool.EnsureInstalledAsync(tool, cli, null, CancellationToken.None);
        var file = Path.Combine(Directory.CreateTempSubdirectory("openapi-").FullName, "openapi.json");
        await File.WriteAllTextAsync(file, OpenApi.Document(ComplianceApi.Version));
        try
        {
            var start = new ProcessStartInfo("node") { WorkingDirectory = tool, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { cli, "lint", "--config", "redocly.yaml", "--format", "json", file }) start.ArgumentList.Add(argument);
            start.Environment["REDOCLY_TELEMETRY"] = "off";
            start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
            using var node = Process.Start(start)!;
            var output = node.StandardOutput.ReadToEndAsync();
            var errors = node.StandardError.ReadToEndAsync();
            await node.WaitForExitAsync();
            var text = await output;

            using var report = JsonDocument.Parse(text[text.IndexOf('{', StringComparison.Ordinal)..]);
            var problems = report.RootElement.GetProperty("problems").EnumerateArray()
                .Where(p => p.GetProperty("severity").GetString() == "error")
                .Select(p => $"{p.GetProperty("ruleId").GetString()}: {p.GetProperty("message").GetString()} at {p.GetProperty("location")[0].GetProperty("pointer").GetString()}")
                .ToArray();
            Assert.True(problems.Length == 0, string.Join("\n", problems));
            Assert.Equal(0, report.RootElement.GetProperty("totals").GetProperty("errors").GetInt32());
            Assert.True(node.ExitCode == 0, $"redocly exit {node.ExitCode}\n{text}\n{await errors}");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }
}
