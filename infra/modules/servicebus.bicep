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
    // No duplicate detection on the shared queue: every department's topic forwards here, and event ids are unique
    // within a department only, so two departments' 'evt-1' within the window would lose one of them silently. Each
    // department's topic drops its own senders' resends (departments.bicep), and the processor applies each event id
    // of a department once, so a repeat that reaches the queue changes nothing. The property cannot be changed on an
    // existing queue: docs/deploy.md says how to recreate it.
    requiresDuplicateDetection: false
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
