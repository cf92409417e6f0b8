using AssetCompliance.Azure.ServiceBus;
using AssetCompliance.Azure.Tables;
using AssetCompliance.Azure.Teams;
using AssetCompliance.Core.Alerting;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AssetCompliance.Azure;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers the core pipeline over Table Storage. Both hosts (the Functions app and the local run) call this,
    /// so they process events with identical services. Options are validated at start-up.
    /// </summary>
    public static IServiceCollection AddAssetCompliance(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TableStorageOptions>()
            .Bind(configuration.GetSection(TableStorageOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(VendorCatalogue.Default);
        services.AddSingleton(CompliancePolicy.Default);
        services.AddSingleton<DeviceIdentifier>();
        services.AddSingleton<ComplianceEvaluator>();
        // One set of tables behind the three state ports; the record store's caches live in its one instance.
        services.AddSingleton(provider => ComplianceTables.Create(provider.GetRequiredService<IOptions<TableStorageOptions>>().Value));
        services.AddSingleton<TableRecordStore>();
        services.AddSingleton<IRecordStore>(provider => provider.GetRequiredService<TableRecordStore>());
        services.AddSingleton<TableAlertOutbox>();
        services.AddSingleton<IAlertOutbox>(provider => provider.GetRequiredService<TableAlertOutbox>());
        services.AddSingleton<TableRejectionStore>();
        services.AddSingleton<IRejectionStore>(provider => provider.GetRequiredService<TableRejectionStore>());
        services.AddSingleton<IAuditLog, TableAuditLog>();
        services.AddSingleton<IProgressStore, TableProgressStore>();
        services.AddSingleton<ProgressRebuild>();
        services.AddSingleton<Core.NetBox.INetBoxMemory>(provider => NetBox.TableNetBoxMemory.Create(provider.GetRequiredService<IOptions<TableStorageOptions>>().Value));
        services.AddSingleton(provider => FingerprintCatalogue.Default);
        services.AddOptions<ObservationOptions>()
            .Bind(configuration.GetSection(ObservationOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<ObservationOptions>>().Value.ToSettings());
        services.AddSingleton<ObservationMatcher>();
        services.AddSingleton<RecordPlanner>();
        services.AddSingleton<CommandProcessor>();
        services.AddSingleton<AssetEventProcessor>();
        services.AddSingleton<Exemptions>();
        services.AddSingleton<Remediations>();
        services.AddSingleton<StateSweeps>();
        services.AddSingleton<RecordRecovery>();
        AddAlerting(services, configuration);

        return services;
    }

    /// <summary>
    /// HTTP ingestion's publisher to the <c>asset-events</c> queue, with the app's identity
    /// (<c>ServiceBus__fullyQualifiedNamespace</c> and <c>__clientId</c>, as the trigger uses). The namespace is validated
    /// at start-up (<see cref="ServiceBusOptions"/>). Only the function app calls this; the local run publishes by
    /// processing directly and needs no Service Bus.
    /// </summary>
    public static IServiceCollection AddServiceBusPublisher(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ServiceBusOptions>()
            .Bind(configuration.GetSection(ServiceBusOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IAssetEventPublisher>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ServiceBusOptions>>().Value;
            var client = new global::Azure.Messaging.ServiceBus.ServiceBusClient(options.FullyQualifiedNamespace, ComplianceCredential.Create(options.ClientId), ServiceBusEventPublisher.ClientOptions());
            return new ServiceBusEventPublisher(client.CreateSender(ServiceBusEventPublisher.QueueName));
        });
        return services;
    }

    /// <summary>
    /// The outbox dispatcher and the Teams sender. A host may register its own <see cref="IAlertSender"/> first (the
    /// local run writes cards to files when it has no webhook); this one is added only if none is.
    /// </summary>
    private static void AddAlerting(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AlertingOptions>()
            .Bind(configuration.GetSection(AlertingOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<IAlertRouting>(provider => provider.GetRequiredService<IOptions<AlertingOptions>>().Value);
        services.AddSingleton(provider => new AlertCardBuilder(provider.GetRequiredService<IOptions<AlertingOptions>>().Value.ApiBaseUrl ?? new Uri("http://localhost/api/")));
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<AlertingOptions>>().Value.ToDispatchSettings());
        services.AddSingleton(provider => new TeamsSenderSettings
        {
            MinInterval = TimeSpan.FromSeconds(provider.GetRequiredService<IOptions<AlertingOptions>>().Value.MinSecondsBetweenPosts),
        });
        services.TryAddSingleton<IAlertSender>(provider => new TeamsWebhookSender(
            new HttpClient { Timeout = TimeSpan.FromSeconds(30) }, provider.GetRequiredService<TeamsSenderSettings>(), provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<AlertDispatcher>();
        services.AddSingleton<AssetEventIntake>();
    }
}
