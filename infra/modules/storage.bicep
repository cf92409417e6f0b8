// The host's storage (deployment package, timer leases) and the compliance tables. No account keys: shared key
// access is disabled, so every client, the Functions host included, authenticates with Entra ID.
param location string
param tags object
param suffix string

var deploymentContainerName = 'app-package'
var hostContainerName = 'azure-webjobs-hosts'

resource account 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: 'stcompl${suffix}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_ZRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
    publicNetworkAccess: 'Enabled'
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' = {
  parent: account
  name: 'default'
  properties: {
    deleteRetentionPolicy: { enabled: true, days: 7 }
  }
}

resource deployment 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = {
  parent: blobs
  name: deploymentContainerName
  properties: { publicAccess: 'None' }
}

resource hostLeases 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = {
  parent: blobs
  name: hostContainerName
  properties: { publicAccess: 'None' }
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices@2025-06-01' = {
  parent: account
  name: 'default'
}

resource assets 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-06-01' = {
  parent: tables
  name: 'complianceAssets'
}

resource rejections 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-06-01' = {
  parent: tables
  name: 'complianceRejections'
}

output accountName string = account.name
output deploymentContainerName string = deployment.name
output hostContainerName string = hostLeases.name
output tableNames array = [assets.name, rejections.name]
