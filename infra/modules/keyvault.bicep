// Holds the Teams Workflows webhook URLs (their sig parameter is a credential). RBAC mode: no access policies.
param location string
param tags object
param suffix string

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: 'kv-compl-${suffix}'
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

output name string = vault.name
output vaultUri string = vault.properties.vaultUri
