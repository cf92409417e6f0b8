using Azure.Core;
using Azure.Identity;

namespace AssetCompliance.Azure;

/// <summary>
/// The one place that decides how the app authenticates to Azure: the user-assigned managed identity when a client
/// id is configured (in Azure), otherwise the developer's own sign-in (Azure CLI, Visual Studio, environment).
/// Never a key.
/// </summary>
public static class ComplianceCredential
{
    public static TokenCredential Create(string? managedIdentityClientId) =>
        string.IsNullOrWhiteSpace(managedIdentityClientId)
            ? new DefaultAzureCredential(new DefaultAzureCredentialOptions { ExcludeInteractiveBrowserCredential = true })
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(managedIdentityClientId));
}
