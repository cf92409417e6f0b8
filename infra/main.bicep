// AssetCompliance: one resource group with everything the pipeline needs, identity-based throughout.
// Deploy with `azd up` (azure.yaml) or `az deployment sub create -f infra/main.bicep -p infra/main.bicepparam`.
targetScope = 'subscription'

@minLength(1)
@maxLength(40)
@description('Name of the environment (dev, test, prod); used in resource names and tags.')
param environmentName string

@minLength(1)
@description('Azure region for every resource.')
param location string

@description('Service Bus tier: Standard, or Premium for network isolation and predictable throughput.')
@allowed(['Standard', 'Premium'])
param serviceBusSku string = 'Standard'

@description('Client id of the Entra ID app registration that App Service Authentication validates tokens for.')
param authClientId string

@description('Set the Teams webhook app setting to the Key Vault secret "teams-central-webhook" (add the secret first).')
param useTeamsWebhookSecret bool = false

@description('Departments whose NetBox sends event-rule webhooks to /api/departments/{d}/netbox; each needs the Key Vault secret "netbox-{d in lower case}" (add it first).')
param netBoxDepartments array = []

@description('Departments that send events to Service Bus, each to a topic of its own that stamps its code (docs/security.md): [{ code: \'HO\', senderPrincipalIds: [\'<object id>\'], senderPrincipalType: \'ServicePrincipal\' (default) | \'User\' | \'Group\' }]. Nobody but the app may send to asset-events itself.')
param departments array = []

@description('Optional action group for the monitoring alerts (dead-lettered messages, function failures).')
param actionGroupId string = ''

@description('Maximum function app instances (Flex Consumption).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Networks files the app reads to place observed addresses (issue 18): a path in the deployed app, e.g. \'networks\' for the files of catalogue/networks/ (one per department). Empty: no networks file, segments of observed addresses unknown.')
param observationNetworks string = ''

@description('Days after which a registered device that no observation saw is "not seen".')
@minValue(1)
@maxValue(3650)
param observationNotSeenDays int = 30

var tags = { 'azd-env-name': environmentName, application: 'asset-compliance' }

resource group 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: 'rg-asset-compliance-${environmentName}'
  location: location
  tags: tags
}

module resources 'modules/resources.bicep' = {
  name: 'asset-compliance-resources'
  scope: group
  params: {
    environmentName: environmentName
    location: location
    tags: tags
    serviceBusSku: serviceBusSku
    authClientId: authClientId
    useTeamsWebhookSecret: useTeamsWebhookSecret
    netBoxDepartments: netBoxDepartments
    departments: departments
    actionGroupId: actionGroupId
    maximumInstanceCount: maximumInstanceCount
    observationNetworks: observationNetworks
    observationNotSeenDays: observationNotSeenDays
  }
}

output AZURE_RESOURCE_GROUP string = group.name
output FUNCTION_APP_NAME string = resources.outputs.functionAppName
output API_BASE_URL string = resources.outputs.apiBaseUrl
output SERVICE_BUS_NAMESPACE string = resources.outputs.serviceBusNamespace
output KEY_VAULT_NAME string = resources.outputs.keyVaultName
output DEPARTMENT_TOPICS object = resources.outputs.departmentTopics
