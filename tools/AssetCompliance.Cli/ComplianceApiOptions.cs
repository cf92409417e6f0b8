using System.CommandLine;
using AssetCompliance.Azure;
using AssetCompliance.Azure.Api;

namespace AssetCompliance.Cli;

/// <summary>
/// <c>--api</c> and <c>--api-client-id</c>: which compliance API a command reads (default the local run,
/// http://127.0.0.1:7071) and, for a deployment, the app registration whose token the caller's own sign-in gets
/// (<c>api://{id}/.default</c>) and the function key from <c>COMPLIANCE_FUNCTION_KEY</c>. Shared by <c>push --sync</c>
/// and <c>report</c>, so that both accept and refuse the same addresses with the same words.
/// </summary>
internal sealed class ComplianceApiOptions(string purpose)
{
    /// <summary>The local run's address.</summary>
    public const string LocalRun = "http://127.0.0.1:7071/";

    public Option<string> Api { get; } = new("--api")
    {
        Description = $"{purpose}: the compliance API. Default: the local run, http://127.0.0.1:7071. A deployment needs --api-client-id (your own sign-in is used for its token) and, if its function keys are on, COMPLIANCE_FUNCTION_KEY.",
        DefaultValueFactory = _ => LocalRun,
    };

    public Option<string?> ClientId { get; } = new("--api-client-id") { Description = $"{purpose} against a deployment: the API's app registration client id (AUTH_CLIENT_ID); the token is for api://ID/.default. Also read from AUTH_CLIENT_ID." };

    /// <summary>The one HTTP client for a command's API calls; the API answers a page in well under the timeout.</summary>
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(100) };

    public void AddTo(Command command)
    {
        command.Options.Add(Api);
        command.Options.Add(ClientId);
    }

    /// <summary>The client for the given options, or null after saying on <paramref name="errors"/> why there is none; <paramref name="what"/> names the option that needs it in the message.</summary>
    public async Task<(ComplianceApiClient Client, Uri Address)?> CreateAsync(ParseResult parse, TextWriter errors, string what)
    {
        var apiText = parse.GetValue(Api)!;
        if (!Uri.TryCreate(apiText.EndsWith('/') ? apiText : apiText + "/", UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
        {
            await errors.WriteLineAsync($"error: --api '{TerminalText.Safe(apiText)}' is not an http(s) address such as https://func-ac.azurewebsites.net.");
            return null;
        }

        var clientId = parse.GetValue(ClientId) ?? Environment.GetEnvironmentVariable("AUTH_CLIENT_ID");
        if (!address.IsLoopback && string.IsNullOrWhiteSpace(clientId))
        {
            await errors.WriteLineAsync($"error: {what} against {address} needs --api-client-id (or AUTH_CLIENT_ID), the API's app registration, for a token.");
            return null;
        }

        return (new ComplianceApiClient(Http, address, address.IsLoopback ? null : ComplianceCredential.Create(null),
            address.IsLoopback ? null : $"api://{clientId}/.default", Environment.GetEnvironmentVariable("COMPLIANCE_FUNCTION_KEY")), address);
    }
}
