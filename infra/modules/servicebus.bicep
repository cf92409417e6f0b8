// The asset-events queue. No SAS: local auth is disabled; senders and the trigger use Entra ID roles on the queue.
// No sessions: concurrency is handled with ETags (docs/state-design.md), so any instance may take any batch.
param location string
param tags object
param suffix string
param sku string

resource namespace 'Microsoft.ServiceBus/namespaces@2026-01-01' = {
  name: 'sb-compliance-${suffix}'
  location: location
  tags: tags
  sku: sku == 'Premium' ? { name: 'Premium', tier: 'Premium', capacity: 1 } : { name: 'Standard', tier: 'Standard' }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource queue 'Microsoft.ServiceBus/namespaces/queues@2026-01-01' = {
  parent: namespace
  name: 'asset-events'
  properties: {
    requiresSession: false
    // Senders that retry after a timeout resend the same message id: drop those within ten minutes.
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT10M'
    // Longer than the worst batch (500 events, a few seconds) with room for storage retries; the host renews it too.
    lockDuration: 'PT2M'
    maxDeliveryCount: 10
    deadLetteringOnMessageExpiration: true
    defaultMessageTimeToLive: 'P14D'
    maxSizeInMegabytes: 5120
  }
}

output namespaceName string = namespace.name
output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
output queueName string = queue.name
