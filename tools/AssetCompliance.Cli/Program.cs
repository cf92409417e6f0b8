using System.CommandLine;
using AssetCompliance.Cli;

var root = new RootCommand("compliance: find surveillance and network equipment made by companies subject to the PRC National Intelligence Law in departmental asset registers.");

var events = new Option<string[]>("--events") { Description = "A JSON Lines file of CloudEvents to replay (repeatable). Default: samples/asset-events.jsonl.", AllowMultipleArgumentsPerToken = false };
var port = new Option<int>("--port") { Description = "Loopback port for the HTTP API.", DefaultValueFactory = _ => 7071 };
var storage = new Option<string?>("--storage") { Description = "An Azurite connection string to use instead of starting Azurite (also read from ComplianceStorage__ConnectionString)." };
var verbose = new Option<bool>("--verbose") { Description = "Log every processed event." };
var serviceBus = new Option<string?>("--service-bus") { Description = "A Service Bus namespace (ns.servicebus.windows.net) whose asset-events queue to consume after the files, signed in as you (also read from ServiceBus__fullyQualifiedNamespace)." };
var teamsWebhook = new Option<string?>("--teams-webhook") { Description = "A Teams Workflows webhook URL to post alert cards to (also read from Alerting__CentralWebhook). It is a secret: prefer the environment variable." };
var alertsDir = new Option<string>("--alerts-dir") { Description = "Without a webhook, write each card here as the JSON that would be posted.", DefaultValueFactory = _ => "alerts" };
var roles = new Option<string[]>("--as") { Description = "App roles of the local caller when a request has no X-MS-CLIENT-PRINCIPAL (repeatable), e.g. --as Department.HO. Default: Compliance.ReadAll and Compliance.Admin." };
var networks = new Option<string?>("--networks") { Description = "A networks file, or a folder of them (one per department), that places observed addresses on core, segregated or standalone subnets (also read from Observations__Networks). Without one, the segment of an observed address is unknown." };
var run = new Command("run", "Run the pipeline locally: start Azurite, replay event files through the Service Bus processing path, serve the HTTP API on 127.0.0.1.")
{
    events, port, storage, verbose, serviceBus, teamsWebhook, alertsDir, roles, networks,
};
run.SetAction(async (parse, cancellationToken) =>
{
    var settings = new RunCommand.Settings(
        parse.GetValue(events) ?? [],
        parse.GetValue(port),
        parse.GetValue(storage) ?? Environment.GetEnvironmentVariable("ComplianceStorage__ConnectionString"),
        parse.GetValue(verbose),
        parse.GetValue(serviceBus) ?? Environment.GetEnvironmentVariable("ServiceBus__fullyQualifiedNamespace"),
        null,
        parse.GetValue(alertsDir)!,
        parse.GetValue(roles),
        parse.GetValue(networks) ?? Environment.GetEnvironmentVariable("Observations__Networks"));
    if (settings.Port is < 1 or > 65535)
    {
        Console.Error.WriteLine("error: --port must be between 1 and 65535.");
        return 1;
    }

    if ((parse.GetValue(teamsWebhook) ?? Environment.GetEnvironmentVariable("Alerting__CentralWebhook")) is { Length: > 0 } webhook)
    {
        // Never echo the URL: its sig parameter is a credential.
        if (!Uri.TryCreate(webhook, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback))
        {
            Console.Error.WriteLine("error: --teams-webhook must be an absolute https URL (http only on loopback).");
            return 1;
        }

        settings = settings with { TeamsWebhook = uri };
    }

    return await new RunCommand(Console.Out).ExecuteAsync(settings, cancellationToken);
});
root.Subcommands.Add(run);

root.Subcommands.Add(CheckCommand.Create());
root.Subcommands.Add(LookupCommand.Create());
root.Subcommands.Add(PushCommand.Create());
root.Subcommands.Add(CatalogueCommands.Create());
root.Subcommands.Add(ReconcileCommand.Create());
root.Subcommands.Add(ReportCommand.Create());

// Without a configuration, System.CommandLine 2.0.0 handles no signal: SIGINT and SIGTERM then either killed the
// process at once or (once `run` serves) reached only the web host, which asks the application to stop and does not
// end the process. With it, both cancel the action's token; an action that has not finished within the timeout is
// abandoned with exit code 130 (SIGINT) or 143 (SIGTERM), and Azurite's watchdog ends the emulator.
InterruptSignal.HonourIfIgnored(); // before the command line registers its SIGINT handler
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = RunCommand.ShutdownTimeout * 3 });
