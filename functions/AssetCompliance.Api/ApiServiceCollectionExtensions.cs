using AssetCompliance.Api.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AssetCompliance.Api;

public static class ApiServiceCollectionExtensions
{
    /// <summary>The route handlers and the authorizer in front of them; both hosts call this.</summary>
    public static IServiceCollection AddComplianceApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ComplianceAuthOptions>().Bind(configuration.GetSection(ComplianceAuthOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<ComplianceAuthorizer>();
        services.AddSingleton<ApiHandler>();
        services.AddSingleton<ComplianceApi>();
        services.AddSingleton<StateApi>();
        services.AddSingleton<ProgressApi>();
        services.AddSingleton<AssetListApi>();
        services.AddSingleton<ObservationListApi>();
        services.AddSingleton<IngestionApi>();
        services.AddSingleton<RegisterApi>();
        services.AddSingleton<RemediationApi>();
        services.AddOptions<NetBox.NetBoxOptions>().Bind(configuration.GetSection(NetBox.NetBoxOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<NetBox.NetBoxOptions>, NetBox.NetBoxOptionsValidation>();
        services.AddSingleton<Core.NetBox.NetBoxReceiver>();
        services.AddSingleton<NetBox.NetBoxApi>();
        services.AddSingleton<Dashboard.DashboardApi>();
        return services;
    }
}
