// The function app on Flex Consumption (FC1), .NET 10 isolated, with one user-assigned identity for every
// connection: host storage, the tables, Service Bus, Key Vault references and Application Insights. No keys or
// connection strings with secrets appear in its settings. App Service Authentication (Entra ID) fronts every route
// but health, and tells the app to trust the signed-in principal it injects.
param location string
param tags object
param suffix string
param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainerName string
param serviceBusNamespace string
param keyVaultUri string
param appInsightsConnectionString string
param authClientId string
param useTeamsWebhookSecret bool

@description('Departments with a NetBox webhook secret in Key Vault ("netbox-{code in lower case}"), e.g. ["HO", "MOJ"].')
param netBoxDepartments array
param maximumInstanceCount int

@description('The networks file or folder in the deployed app (Observations__Networks); empty for none.')
param observationNetworks string
param observationNotSeenDays int

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageAccountName
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: 'plan-compliance-${suffix}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

resource site 'Microsoft.Web/sites@2025-03-01' = {
  name: 'func-compliance-${suffix}'
  location: location
  tags: union(tags, { 'azd-service-name': 'functions' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId }
        }
      }
      scaleAndConcurrency: { maximumInstanceCount: maximumInstanceCount, instanceMemoryMB: 2048 }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
  }
}

// Settings live in their own resource so that the API base URL can use the host name the platform assigned.
resource settings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: site
  name: 'appsettings'
  properties: union({
    // Host storage, identity-based (shared key access is disabled on the account).
    AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
    AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
    AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    // The Service Bus trigger: without credential and clientId a user-assigned identity never wakes the app.
    ServiceBus__fullyQualifiedNamespace: serviceBusNamespace
    ServiceBus__credential: 'managedidentity'
    ServiceBus__clientId: identityClientId
    // Compliance state.
    ComplianceStorage__TableServiceUri: storage.properties.primaryEndpoints.table
    ComplianceStorage__ManagedIdentityClientId: identityClientId
    // Telemetry with Entra ID (local auth is disabled on Application Insights).
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    // Alerts link to the API; schedules of the timers.
    Alerting__ApiBaseUrl: 'https://${site.properties.defaultHostName}/api/'
    DispatchAlertsSchedule: '0 * * * * *'
    DigestSchedule: '0 0 8 * * 1-5'
    PruneDeliveredAlertsSchedule: '0 30 3 * * *'
    ReevaluateSchedule: '0 15 * * * *'
    ExpireExemptionsSchedule: '0 */15 * * * *'
    RemediationOverdueSchedule: '0 45 * * * *'
    // Set together with authsettingsV2 below: only then is X-MS-CLIENT-PRINCIPAL the platform's, not a caller's.
    ComplianceAuth__TrustPlatformPrincipal: 'true'
    // Observations (issue 18): when a registered device not observed counts as not seen.
    Observations__NotSeenDays: string(observationNotSeenDays)
  }, empty(observationNetworks) ? {} : {
    Observations__Networks: observationNetworks
  }, useTeamsWebhookSecret ? {
    Alerting__CentralWebhook: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/teams-central-webhook/)'
  } : {}, netBoxSecretSettings)
}

// Each department's NetBox webhook secret is a Key Vault reference, resolved by the platform with the app's identity
// (keyVaultReferenceIdentity; Key Vault Secrets User on the vault, rbac.bicep); no secret value is in the template.
var netBoxSecretSettings = toObject(netBoxDepartments, d => 'NetBox__Secrets__${d}', d => '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/netbox-${toLower(d)}/)')

resource auth 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
      // NetBox cannot sign in to Entra ID: its route is authenticated by the webhook's HMAC signature (and the
      // function key) instead, per department, so only those exact paths are left out.
      excludedPaths: concat(['/api/health'], map(netBoxDepartments, d => '/api/departments/${d}/netbox'))
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: authClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: ['api://${authClientId}', authClientId]
        }
      }
    }
    login: { tokenStore: { enabled: false } }
  }
}

output name string = site.name
output apiBaseUrl string = 'https://${site.properties.defaultHostName}/api/'
