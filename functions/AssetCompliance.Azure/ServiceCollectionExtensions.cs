using AssetCompliance.Azure.Tables;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
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
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<TableStorageOptions>>().Value;
            var client = options.ConnectionString is { Length: > 0 } connectionString
                ? new TableServiceClient(connectionString)
                : new TableServiceClient(options.TableServiceUri, ComplianceCredential.Create(options.ManagedIdentityClientId));
            return new TableComplianceStore(client, options.TablePrefix);
        });
        services.AddSingleton<IComplianceStore>(provider => provider.GetRequiredService<TableComplianceStore>());
        services.AddSingleton<RecordPlanner>();
        services.AddSingleton<CommandProcessor>();
        services.AddSingleton<AssetEventProcessor>();
        services.AddSingleton<Exemptions>();
        services.AddSingleton<StateSweeps>();
        return services;
    }
}
