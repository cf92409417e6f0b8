using AssetCompliance.Api;
using AssetCompliance.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AssetCompliance.Functions;

/// <summary>
/// The function app's composition root: every service the functions need, over the app's configuration. Program.cs
/// calls this and nothing else registers services, so a test that calls it with test settings builds the object
/// graph the deployed app builds. Every setting read here is validated at start-up (ValidateOnStart), with its name
/// in the error.
/// </summary>
public static class FunctionAppServices
{
    /// <summary>Registers the pipeline over Table Storage, the HTTP API and the Service Bus publisher of HTTP ingestion.</summary>
    public static IServiceCollection Add(IServiceCollection services, IConfiguration configuration)
    {
        services.AddAssetCompliance(configuration);
        services.AddComplianceApi(configuration);
        services.AddServiceBusPublisher(configuration);
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<TimerSchedules>>(new TimerSchedules.Validation(configuration));
        services.AddOptions<TimerSchedules>().ValidateOnStart();
        return services;
    }
}
