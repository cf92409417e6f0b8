using AssetCompliance.Functions;
using AssetCompliance.Azure.Tables;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
FunctionAppServices.Add(builder.Services, builder.Configuration);

using var host = builder.Build();

// Create the tables before the first trigger fires; with identity-based access this needs Table Data Contributor.
await host.Services.GetRequiredService<ComplianceTables>().EnsureCreatedAsync(CancellationToken.None);
await host.RunAsync();
