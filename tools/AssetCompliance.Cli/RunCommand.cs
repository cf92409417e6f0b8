using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using AssetCompliance.Api;
using AssetCompliance.Api.Security;
using AssetCompliance.Azure;
using AssetCompliance.Azure.Emulator;
using AssetCompliance.Azure.ServiceBus;
using Azure.Messaging.ServiceBus;
using AssetCompliance.Azure.Tables;
using AssetCompliance.Core.Alerting;
using AssetCompliance.Core.Processing;
using AssetCompliance.Azure.Teams;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace AssetCompliance.Cli;

/// <summary>
/// <c>compliance run</c>: the pipeline on one machine. Starts Azurite unless storage is configured, replays event
/// files through the processor the Service Bus function uses, then serves the function app's routes on loopback.
/// SIGINT (Ctrl-C) or SIGTERM stops it within a few seconds, Azurite included: exit 0 when it was serving, 1 when the
/// signal came before the replay finished (the state it served would have been incomplete).
/// </summary>
internal sealed class RunCommand(TextWriter output)
{
    public sealed record Settings(IReadOnlyList<string> EventFiles, int Port, string? StorageConnectionString, bool Verbose, string? ServiceBusNamespace = null,
        Uri? TeamsWebhook = null, string AlertsDir = "alerts", IReadOnlyList<string>? Roles = null, string? Networks = null)
    {
        /// <summary>The app roles a request without X-MS-CLIENT-PRINCIPAL acts as: <see cref="Roles"/>, else ReadAll and Admin.</summary>
        public IReadOnlyList<string> LocalCallerRoles => Roles is { Count: > 0 } roles ? roles : [ComplianceRoles.ReadAll, ComplianceRoles.Admin];

        /// <summary>
        /// The record's string form without its secrets (docs/security.md, "secrets never become text"): the
        /// connection string may hold an account key and the webhook URL its signature, so neither is printed.
        /// </summary>
        private bool PrintMembers(System.Text.StringBuilder builder)
        {
            builder.Append(CultureInfo.InvariantCulture, $"EventFiles = [{string.Join(", ", EventFiles)}], Port = {Port}, ")
                .Append(CultureInfo.InvariantCulture, $"StorageConnectionString = {(StorageConnectionString is null ? "none" : SecretText.Redacted)}, Verbose = {Verbose}, ")
                .Append(CultureInfo.InvariantCulture, $"ServiceBusNamespace = {ServiceBusNamespace ?? "none"}, TeamsWebhook = {SecretText.Webhook(TeamsWebhook)}, ")
                .Append(CultureInfo.InvariantCulture, $"AlertsDir = {AlertsDir}, Roles = [{string.Join(", ", Roles ?? [])}]")
                .Append(CultureInfo.InvariantCulture, $", Networks = {Networks ?? "none"}");
            return true;
        }
    }

    /// <summary>How long a stop waits for requests in flight before the server closes them.</summary>
    internal static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(3);

    public async Task<int> ExecuteAsync(Settings settings, CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync(settings, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await output.WriteLineAsync("Interrupted before the replay finished: stopped without serving.");
            return 1;
        }
    }

    private async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        var root = RepositoryRoot.Find();
        var files = settings.EventFiles.Count > 0 ? settings.EventFiles : [Path.Combine(root, "samples", "asset-events.jsonl")];
        foreach (var file in files.Where(f => !File.Exists(f)))
        {
            await output.WriteLineAsync($"error: event file '{file}' does not exist.");
            return 1;
        }

        // The networks file is read before anything else too: a bad one is the file's own error, not a stack trace.
        try
        {
            Core.Observations.NetworkMaps.Load(settings.Networks);
        }
        catch (Core.Observations.ObservationReadException e)
        {
            await output.WriteLineAsync($"error: --networks: {e.Message}");
            return 1;
        }

        // Before the replay, not after it: a port in use would otherwise be found only once every event was processed
        // and every card written, as a stack trace.
        if (PortInUse(settings.Port) is { } portProblem)
        {
            await output.WriteLineAsync($"error: cannot serve on 127.0.0.1:{settings.Port}: {portProblem}. Stop what uses it, or pass --port.");
            return 1;
        }

        await using var azurite = settings.StorageConnectionString is null
            ? await AzuriteProcess.StartAsync(root, output, cancellationToken)
            : null;
        var connectionString = settings.StorageConnectionString ?? azurite!.ConnectionString;
        if (azurite is not null)
        {
            await output.WriteLineAsync($"Table Storage: Azurite (in memory) at {azurite.TableEndpoint} (pid {azurite.ProcessId})");
        }

        await using var app = Build(settings, connectionString);
        await app.Services.GetRequiredService<ComplianceTables>().EnsureCreatedAsync(cancellationToken);

        // The replay takes the production path: each batch committed, then its alerts delivered as far as the group
        // window allows (a department's first at once, later ones at the window's end by the loop below).
        var intake = app.Services.GetRequiredService<AssetEventIntake>();
        var time = app.Services.GetRequiredService<TimeProvider>();
        var delivered = 0;
        foreach (var file in files)
        {
            var summary = new Dictionary<MessageOutcome, int>();
            foreach (var batch in EventFileReplay.Batches(file, time.GetUtcNow()))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var taken = await intake.ProcessAsync(batch, cancellationToken);
                delivered += taken.AlertsDelivered;
                foreach (var result in taken.Results)
                {
                    summary[result.Outcome] = summary.GetValueOrDefault(result.Outcome) + 1;
                    if (result.Outcome == MessageOutcome.Applied)
                    {
                        await output.WriteLineAsync($"  {result.Department,-6} {result.AssetId,-24} {result.Status}");
                    }
                    else if (result.Outcome == MessageOutcome.Rejected)
                    {
                        await output.WriteLineAsync($"  rejected {result.MessageId} ({result.ErrorCount} {(result.ErrorCount == 1 ? "error" : "errors")}; see the rejections route)");
                    }
                }
            }

            await output.WriteLineAsync($"Replayed {Path.GetFileName(file)}: " + string.Join(", ", Enum.GetValues<MessageOutcome>().Select(o => $"{summary.GetValueOrDefault(o)} {o.ToString().ToLowerInvariant()}")));
        }

        // Alerts held by a department's group window go out at its end: every few seconds while serving, the sweep
        // the function app's timer does.
        var dispatcher = app.Services.GetRequiredService<AlertDispatcher>();
        await output.WriteLineAsync(settings.TeamsWebhook is null
            ? $"{delivered} alert(s) written as cards to {Path.GetFullPath(settings.AlertsDir)} (pass --teams-webhook to post them)."
            : $"{delivered} alert(s) posted to the Teams webhook.");
        LocalRoutes.Map(app, settings.LocalCallerRoles);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            // Taken between the check above and now.
            await output.WriteLineAsync($"error: cannot serve on 127.0.0.1:{settings.Port}: {e.Message}");
            return 1;
        }

        // Stop on whichever comes first: the command line's token (SIGINT, SIGTERM) or the host's own stop request
        // (its console lifetime also hears those signals, and only asks the application to stop).
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, app.Lifetime.ApplicationStopping);
        var dispatching = DispatchLoopAsync(dispatcher, app.Services.GetRequiredService<StateSweeps>(), stop.Token);
        var baseUrl = app.Urls.First();
        await output.WriteLineAsync($"""

            Serving the compliance API on {baseUrl}/api (Ctrl-C to stop):
              {baseUrl}/ (the dashboard)
              {baseUrl}/api/health
              {baseUrl}/api/departments/HO/summary
              {baseUrl}/api/departments/HO/assets?status=NonCompliant
              {baseUrl}/api/departments/HO/assets/HO-CAM-0001
              {baseUrl}/api/departments/HO/assets/HO-CAM-0001/history
              {baseUrl}/api/departments/HO/rejections?includeBody=true
              {baseUrl}/api/vendors/lookup?manufacturer=Hik%20Vision&mac=BC-AD-28-11-22-33
              {baseUrl}/api/openapi.json
            Requests act as {string.Join(" and ", settings.LocalCallerRoles)} unless they send X-MS-CLIENT-PRINCIPAL.
            """);
        try
        {
            if (settings.ServiceBusNamespace is { Length: > 0 } serviceBusNamespace)
            {
                await ConsumeQueueAsync(app, serviceBusNamespace, stop.Token);
            }

            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            await output.WriteLineAsync(azurite is null ? "Stopping." : $"Stopping (and Azurite, pid {azurite.ProcessId}).");
        }

        await app.StopAsync(CancellationToken.None);
        await dispatching;
        return 0;
    }

    /// <summary>Why the loopback port cannot be listened on, or null when it can (it is released again at once).</summary>
    private static string? PortInUse(int port)
    {
        try
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            return null;
        }
        catch (System.Net.Sockets.SocketException e)
        {
            return e.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse ? "the port is already in use" : e.Message;
        }
    }

    /// <summary>
    /// Every 5 s until the stop, like the function app's timers: exemptions past their expiry end (the function app's
    /// ExpireExemptions timer), remediation plans past their due date are marked overdue (MarkOverdueRemediations),
    /// then alerts are dispatched. A failed round (storage down) is reported and the next
    /// round tries again, so one failure neither ends alerting for the rest of the run nor fails its stop.
    /// </summary>
    private async Task DispatchLoopAsync(AlertDispatcher dispatcher, StateSweeps sweeps, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await sweeps.ExpireExemptionsAsync(cancellationToken);
                    await sweeps.MarkOverdueRemediationsAsync(cancellationToken);
                    await dispatcher.DispatchAsync(cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    await output.WriteLineAsync($"warning: exemption expiry, overdue plans or alert dispatch failed ({e.GetType().Name}: {e.Message.Split('\n')[0].Trim()}); trying again in 5 s.");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>After the files, consume the real queue with the developer's own Azure sign-in (no keys).</summary>
    private async Task ConsumeQueueAsync(WebApplication app, string serviceBusNamespace, CancellationToken cancellationToken)
    {
        await using var client = new ServiceBusClient(serviceBusNamespace, ComplianceCredential.Create(null));
        await using var receiver = client.CreateReceiver(ServiceBusEventPublisher.QueueName);
        var consumer = new ServiceBusQueueConsumer(receiver, app.Services.GetRequiredService<AssetEventIntake>(), app.Services.GetRequiredService<ILogger<ServiceBusQueueConsumer>>());
        await output.WriteLineAsync($"Consuming {serviceBusNamespace}/{ServiceBusEventPublisher.QueueName} (Ctrl-C to stop)...");
        var completed = await consumer.RunAsync(cancellationToken);
        await output.WriteLineAsync($"Completed {completed} messages from the queue.");
    }

    private WebApplication Build(Settings settings, string connectionString)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(Configuration(settings, connectionString));
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(settings.Verbose ? LogLevel.Information : LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{settings.Port}");
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        AddServices(builder.Services, builder.Configuration, settings, output);
        return builder.Build();
    }

    /// <summary>The settings the local run gives the shared registration: Azurite (or the given storage), loopback links and auth.</summary>
    internal static Dictionary<string, string?> Configuration(Settings settings, string connectionString) => new()
    {
        [$"{TableStorageOptions.SectionName}:ConnectionString"] = connectionString,
        [$"{AlertingOptions.SectionName}:ApiBaseUrl"] = $"http://127.0.0.1:{settings.Port}/api/",
        [$"{AlertingOptions.SectionName}:CentralWebhook"] = settings.TeamsWebhook?.AbsoluteUri,
        // Loopback only: the local run plays App Service Authentication (see LocalRoutes).
        ["ComplianceAuth:TrustPlatformPrincipal"] = "true",
        // Issue 18: the networks file (or folder) that places observed addresses; none: segments unknown.
        [$"{ObservationOptions.SectionName}:Networks"] = settings.Networks is null ? null : Path.GetFullPath(settings.Networks),
    };

    /// <summary>
    /// The local run's composition root: its own publisher (process directly) and, without a webhook, its file sender,
    /// registered before the registration both hosts share, which adds only what a host has not. A test builds this.
    /// </summary>
    internal static IServiceCollection AddServices(IServiceCollection services, IConfiguration configuration, Settings settings, TextWriter output)
    {
        services.AddSingleton<IAssetEventPublisher>(provider =>
            new LocalProcessingPublisher(provider.GetRequiredService<AssetEventIntake>, TimeProvider.System));
        if (settings.TeamsWebhook is null)
        {
            // No channel: the cards go to files, exactly as they would be posted.
            services.AddSingleton<IAlertSender>(provider => new FileAlertSender(settings.AlertsDir, output, TimeProvider.System));
            services.AddSingleton<IAlertRouting>(new SingleTargetRouting(FileAlertSender.Target(settings.AlertsDir)));
        }

        services.AddAssetCompliance(configuration);
        services.AddComplianceApi(configuration);
        return services;
    }
}
