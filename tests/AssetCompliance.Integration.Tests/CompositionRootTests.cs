using AssetCompliance.Cli;
using AssetCompliance.Functions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// The hosts' real composition roots, built with test settings: <see cref="FunctionAppServices.Add"/> (what Program.cs
/// calls) and the local run's <c>RunCommand.AddServices</c>. The container validates every registration on build and
/// every scope, each function class is created as the worker creates it, each registered option is read (which runs its
/// validation), and each required setting, when missing, stops the host at start with its name in the error.
/// Nothing here connects to anything: clients are created, not used.
/// </summary>
public sealed class CompositionRootTests
{
    private const string StorageSetting = "ComplianceStorage:ConnectionString";
    private const string ServiceBusSetting = "ServiceBus:fullyQualifiedNamespace";
    private const string ApiBaseUrlSetting = "Alerting:ApiBaseUrl";

    /// <summary>Everything the deployed app reads, set as Azure sets it (Bicep app settings), with Azurite for storage.</summary>
    private static Dictionary<string, string?> FunctionAppSettings() => new(TimerSchedules.Settings.Select(s => KeyValuePair.Create(s.Setting, (string?)"0 */5 * * * *")))
    {
        [StorageSetting] = "UseDevelopmentStorage=true",
        [ServiceBusSetting] = "test.servicebus.windows.net",
        ["ServiceBus:clientId"] = "00000000-0000-0000-0000-000000000001",
        [ApiBaseUrlSetting] = "https://compliance.example/api/",
        ["Alerting:CentralWebhook"] = "https://example.webhook.office.com/central",
        ["NetBox:Secrets:HO"] = "a-secret-of-enough-length",
    };

    private static RunCommand.Settings RunSettings(Uri? webhook = null) =>
        new([], 7072, "UseDevelopmentStorage=true", Verbose: false, TeamsWebhook: webhook, AlertsDir: Path.GetTempPath());

    private static IHost Build(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection, IConfiguration> register)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        register(builder.Services, builder.Configuration);
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
        return builder.Build();
    }

    private static IHost FunctionApp(IReadOnlyDictionary<string, string?> settings) =>
        Build(settings, (services, configuration) => FunctionAppServices.Add(services, configuration));

    private static IHost LocalRun(RunCommand.Settings run, IReadOnlyDictionary<string, string?> settings) =>
        Build(settings, (services, configuration) => RunCommand.AddServices(services, configuration, run, TextWriter.Null));

    /// <summary>Every options type the registration configures or validates, found in the container, not listed here.</summary>
    private static Type[] OptionTypes(IServiceCollection services) =>
        services.Select(d => d.ServiceType)
            .Where(t => t.IsGenericType && (t.GetGenericTypeDefinition() == typeof(IConfigureOptions<>) || t.GetGenericTypeDefinition() == typeof(IValidateOptions<>)))
            .Select(t => t.GetGenericArguments()[0])
            .Where(t => t.Namespace?.StartsWith("AssetCompliance", StringComparison.Ordinal) == true)
            .Distinct()
            .ToArray();

    private static void ReadEveryOption(IServiceProvider provider, IServiceCollection services, params string[] expected)
    {
        var types = OptionTypes(services);
        Assert.Superset(expected.ToHashSet(), types.Select(t => t.Name).ToHashSet());
        foreach (var type in types)
        {
            var options = provider.GetRequiredService(typeof(IOptions<>).MakeGenericType(type));
            Assert.NotNull(options.GetType().GetProperty(nameof(IOptions<object>.Value))!.GetValue(options));
        }
    }

    private static IServiceCollection Registered(Action<IServiceCollection, IConfiguration> register, IReadOnlyDictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        register(services, new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services;
    }

    /// <summary>The start's failure with every message in it (a host that finds several problems aggregates them).</summary>
    private static async Task<string> StartFailure(IHost host)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
        var messages = new List<string>();
        for (var queue = new Queue<Exception>([failure]); queue.TryDequeue(out var e);)
        {
            messages.Add(e.Message);
            foreach (var inner in e is AggregateException a ? a.InnerExceptions : e.InnerException is { } i ? [i] : (IEnumerable<Exception>)[])
            {
                queue.Enqueue(inner);
            }
        }

        return string.Join(" | ", messages);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // storage as Azure gives it: the account's endpoint and the managed identity
    public async Task The_function_app_registration_resolves_every_function_class_and_option_and_starts(bool azureStorage)
    {
        var settings = FunctionAppSettings();
        if (azureStorage)
        {
            settings.Remove(StorageSetting);
            settings["ComplianceStorage:TableServiceUri"] = "https://account.table.core.windows.net";
            settings["ComplianceStorage:ManagedIdentityClientId"] = "00000000-0000-0000-0000-000000000001";
        }

        using var host = FunctionApp(settings);

        var types = FunctionClasses.Types();
        Assert.Contains(typeof(HttpFunctions), types);
        Assert.Contains(typeof(ServiceBusFunctions), types);
        using (var scope = host.Services.CreateScope())
        {
            // As the worker's default activator does: the class is not registered, its constructor is served from the container.
            Assert.All(types, t => Assert.IsType(t, ActivatorUtilities.CreateInstance(scope.ServiceProvider, t)));
        }

        ReadEveryOption(host.Services, Registered((s, c) => FunctionAppServices.Add(s, c), settings),
            "TableStorageOptions", "AlertingOptions", "ComplianceAuthOptions", "NetBoxOptions", "ServiceBusOptions", "TimerSchedules",
            "ObservationOptions");
        await host.StartAsync();
        await host.StopAsync();
    }

    [Theory]
    [InlineData(StorageSetting)]
    [InlineData(ServiceBusSetting)]
    [InlineData(ApiBaseUrlSetting)] // required because a webhook is set
    [InlineData("DigestSchedule")] // a timer's schedule: the host would only disable that timer
    [InlineData("ExpireExemptionsSchedule")]
    [InlineData("RemediationOverdueSchedule")]
    public async Task The_function_app_does_not_start_without_a_required_setting_and_names_it(string setting)
    {
        var settings = FunctionAppSettings();
        Assert.True(settings.Remove(setting));
        using var host = FunctionApp(settings);

        Assert.Contains(setting, await StartFailure(host), StringComparison.Ordinal);
    }

    /// <summary>A value that is there but wrong stops the start too, naming the setting, never on a first call.</summary>
    [Theory]
    [InlineData("ComplianceAuth:TrustPlatformPrincipal", "yes")]
    [InlineData("ComplianceStorage:TablePrefix", "1-bad")]
    [InlineData("ComplianceStorage:ConnectionString", "DefaultEndpointsProtocol=https;AccountName=real;AccountKey=a2V5;EndpointSuffix=core.windows.net")]
    [InlineData("Alerting:CentralWebhook", "http://example.webhook.office.com/central")]
    [InlineData("NetBox:Secrets:HO", "short")]
    [InlineData("ServiceBus:fullyQualifiedNamespace", " ")]
    [InlineData("DispatchAlertsSchedule", "every minute")]
    [InlineData("Observations:Networks", "/no/such/networks.json")]
    [InlineData("Observations:NotSeenDays", "0")]
    public async Task The_function_app_does_not_start_with_an_invalid_setting_and_names_it(string setting, string value)
    {
        var settings = FunctionAppSettings();
        settings[setting] = value;
        using var host = FunctionApp(settings);

        Assert.Contains(setting, await StartFailure(host), StringComparison.Ordinal);
    }

    /// <summary>The settings the start requires are set where the app runs: the Bicep app settings and the local sample.</summary>
    [Fact]
    public void The_required_settings_are_set_in_azure_and_in_the_local_sample()
    {
        var bicep = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "infra", "modules", "functionapp.bicep"));
        foreach (var setting in new[] { ServiceBusSetting, "ComplianceStorage:TableServiceUri", ApiBaseUrlSetting })
        {
            Assert.Matches($@"(?m)^\s+{setting.Replace(":", "__", StringComparison.Ordinal)}: \S", bicep);
        }

        using var sample = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "functions", "AssetCompliance.Functions", "local.settings.sample.json")));
        foreach (var setting in new[] { ServiceBusSetting, StorageSetting })
        {
            Assert.True(sample.RootElement.GetProperty("Values").TryGetProperty(setting.Replace(":", "__", StringComparison.Ordinal), out _), $"{setting} is missing from local.settings.sample.json");
        }
    }

    /// <summary>
    /// The schedules are found on the triggers, not listed: each timer function names one, and all five are read (the
    /// same five functions.metadata gives the host; FunctionMetadataTests holds them set in Bicep and the local sample).
    /// </summary>
    [Fact]
    public void Every_timer_trigger_schedule_setting_is_found()
    {
        Assert.Equal(
            ["DailyDigest:DigestSchedule", "DispatchAlerts:DispatchAlertsSchedule", "ExpireExemptions:ExpireExemptionsSchedule", "MarkOverdueRemediations:RemediationOverdueSchedule", "PruneDeliveredAlerts:PruneDeliveredAlertsSchedule", "ReevaluateOnCatalogueChange:ReevaluateSchedule"],
            TimerSchedules.Settings.Select(s => $"{s.Function}:{s.Setting}").Order(StringComparer.Ordinal));
        Assert.Empty(TimerSchedules.Errors(new ConfigurationBuilder().AddInMemoryCollection(FunctionAppSettings()).Build()));
    }

    [Fact]
    public async Task The_local_run_registration_resolves_every_option_and_starts()
    {
        foreach (var run in new[] { RunSettings(), RunSettings(new Uri("https://example.webhook.office.com/central")) })
        {
            var settings = RunCommand.Configuration(run, "UseDevelopmentStorage=true");
            using var host = LocalRun(run, settings);

            // What the run takes from the container besides the routes (which LocalRoutes serves from the same handlers).
            Assert.NotNull(host.Services.GetRequiredService<AssetCompliance.Core.Processing.AssetEventIntake>());
            Assert.NotNull(host.Services.GetRequiredService<AssetCompliance.Api.ComplianceApi>());
            ReadEveryOption(host.Services, Registered((s, c) => RunCommand.AddServices(s, c, run, TextWriter.Null), settings),
                "TableStorageOptions", "AlertingOptions", "ComplianceAuthOptions", "NetBoxOptions",
                "ObservationOptions");
            await host.StartAsync();
            await host.StopAsync();
        }
    }

    [Theory]
    [InlineData(StorageSetting)]
    [InlineData(ApiBaseUrlSetting)] // required because a webhook is set
    public async Task The_local_run_does_not_start_without_a_required_setting_and_names_it(string setting)
    {
        var run = RunSettings(new Uri("https://example.webhook.office.com/central"));
        var settings = RunCommand.Configuration(run, "UseDevelopmentStorage=true");
        Assert.True(settings.Remove(setting));
        using var host = LocalRun(run, settings);

        Assert.Contains(setting, await StartFailure(host), StringComparison.Ordinal);
    }

    [Fact]
    public void Both_hosts_register_each_state_port_once_over_one_set_of_tables()
    {
        var run = RunSettings();
        foreach (var (register, settings) in new (Action<IServiceCollection, IConfiguration> Register, IReadOnlyDictionary<string, string?> Settings)[]
        {
            ((services, configuration) => FunctionAppServices.Add(services, configuration), FunctionAppSettings()),
            ((services, configuration) => RunCommand.AddServices(services, configuration, run, TextWriter.Null), RunCommand.Configuration(run, "UseDevelopmentStorage=true")),
        })
        {
            var services = Registered(register, settings);
            foreach (var port in new[] { typeof(AssetCompliance.Core.State.IRecordStore), typeof(AssetCompliance.Core.Alerting.IAlertOutbox), typeof(AssetCompliance.Core.State.IRejectionStore), typeof(AssetCompliance.Azure.Tables.ComplianceTables) })
            {
                Assert.Equal(ServiceLifetime.Singleton, Assert.Single(services, d => d.ServiceType == port).Lifetime);
            }

            using var host = Build(settings, register);
            // Each port is the one adapter instance (the record store's caches are not split between two).
            Assert.Same(host.Services.GetRequiredService<AssetCompliance.Azure.Tables.TableRecordStore>(), host.Services.GetRequiredService<AssetCompliance.Core.State.IRecordStore>());
            Assert.Same(host.Services.GetRequiredService<AssetCompliance.Azure.Tables.TableAlertOutbox>(), host.Services.GetRequiredService<AssetCompliance.Core.Alerting.IAlertOutbox>());
            Assert.Same(host.Services.GetRequiredService<AssetCompliance.Azure.Tables.TableRejectionStore>(), host.Services.GetRequiredService<AssetCompliance.Core.State.IRejectionStore>());
        }
    }
}
