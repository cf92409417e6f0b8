// Everything inside the resource group. Modules are per concern; role assignments are in rbac.bicep.
param environmentName string
param location string
param tags object
param serviceBusSku string
param authClientId string
param useTeamsWebhookSecret bool
param netBoxDepartments array
param departments array
param actionGroupId string
param maximumInstanceCount int
param observationNetworks string
param observationNotSeenDays int

var suffix = uniqueString(subscription().id, resourceGroup().id, environmentName)

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: 'id-compliance-${suffix}'
  location: location
  tags: tags
}

module monitoring 'monitoring.bicep' = {
  name: 'monitoring'
  params: { location: location, tags: tags, suffix: suffix }
}

module storage 'storage.bicep' = {
  name: 'storage'
  params: { location: location, tags: tags, suffix: suffix }
}

module serviceBus 'servicebus.bicep' = {
  name: 'servicebus'
  params: { location: location, tags: tags, suffix: suffix, sku: serviceBusSku }
}

module departmentTopics 'departments.bicep' = {
  name: 'departments'
  params: {
    serviceBusNamespaceName: serviceBus.outputs.namespaceName
    queueName: serviceBus.outputs.queueName
    departments: departments
  }
}

module keyVault 'keyvault.bicep' = {
  name: 'keyvault'
  params: { location: location, tags: tags, suffix: suffix }
}

module functionApp 'functionapp.bicep' = {
  name: 'functionapp'
  params: {
    location: location
    tags: tags
    suffix: suffix
    identityId: identity.id
    identityClientId: identity.properties.clientId
    storageAccountName: storage.outputs.accountName
    deploymentContainerName: storage.outputs.deploymentContainerName
    serviceBusNamespace: serviceBus.outputs.fullyQualifiedNamespace
    keyVaultUri: keyVault.outputs.vaultUri
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    authClientId: authClientId
    useTeamsWebhookSecret: useTeamsWebhookSecret
    netBoxDepartments: netBoxDepartments
    maximumInstanceCount: maximumInstanceCount
    observationNetworks: observationNetworks
    observationNotSeenDays: observationNotSeenDays
  }
}

module rbac 'rbac.bicep' = {
  name: 'rbac'
  params: {
    principalId: identity.properties.principalId
    storageAccountName: storage.outputs.accountName
    deploymentContainerName: storage.outputs.deploymentContainerName
    hostContainerName: storage.outputs.hostContainerName
    serviceBusNamespaceName: serviceBus.outputs.namespaceName
    queueName: serviceBus.outputs.queueName
    keyVaultName: keyVault.outputs.name
    appInsightsName: monitoring.outputs.appInsightsName
  }
}

module alerts 'alerts.bicep' = {
  name: 'alerts'
  params: {
    tags: tags
    serviceBusNamespaceName: serviceBus.outputs.namespaceName
    appInsightsName: monitoring.outputs.appInsightsName
    actionGroupId: actionGroupId
  }
}

output functionAppName string = functionApp.outputs.name
output apiBaseUrl string = functionApp.outputs.apiBaseUrl
output serviceBusNamespace string = serviceBus.outputs.fullyQualifiedNamespace
output keyVaultName string = keyVault.outputs.name
output departmentTopics object = departmentTopics.outputs.topics
