using AssetCompliance.Api;
using AssetCompliance.Azure;
using AssetCompliance.Azure.Tables;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddAssetCompliance(builder.Configuration);
builder.Services.AddComplianceApi(builder.Configuration);

using var host = builder.Build();

// Create the tables before the first trigger fires; with identity-based access this needs Table Data Contributor.
await host.Services.GetRequiredService<TableComplianceStore>().EnsureCreatedAsync(CancellationToken.None);
await host.RunAsync();
