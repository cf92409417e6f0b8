// The departments' way in (docs/security.md, "the queue"): each department sends to a Service Bus topic of its own,
// and only there. The topic's one subscription stamps the department into the application property
// vouchedDepartment (its rule action's SET overwrites whatever the sender put there) and forwards to asset-events,
// to which only the app's identity may send (rbac.bicep). The processor applies an event only when its
// data.department is the vouched one, so a department can neither change another's devices nor file rejections
// in its name.

param serviceBusNamespaceName string
param queueName string
@description('Departments that send to Service Bus: [{ code: \'HO\', senderPrincipalIds: [\'<object id>\'], senderPrincipalType: \'ServicePrincipal\' (default) | \'User\' | \'Group\' }].')
param departments array

var roles = {
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
}

// Each sender paired with its own department's position, and nothing else: the role below is scoped by that position.
var senders = flatten(map(range(0, length(departments)), i => map(departments[i].senderPrincipalIds, p => {
  department: i
  principalId: p
  principalType: departments[i].?senderPrincipalType ?? 'ServicePrincipal'
})))

resource namespace 'Microsoft.ServiceBus/namespaces@2026-01-01' existing = {
  name: serviceBusNamespaceName
}

resource topics 'Microsoft.ServiceBus/namespaces/topics@2026-01-01' = [for d in departments: {
  parent: namespace
  name: '${queueName}-${toLower(d.code)}'
  properties: {
    // As the queue: a sender that retries after a timeout resends the same message id.
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT10M'
    defaultMessageTimeToLive: 'P14D'
    maxSizeInMegabytes: 1024
  }
}]

resource forwards 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2026-01-01' = [for (d, i) in departments: {
  parent: topics[i]
  name: 'to-${queueName}'
  properties: {
    forwardTo: queueName
    requiresSession: false
    maxDeliveryCount: 10
    deadLetteringOnFilterEvaluationExceptions: true
    deadLetteringOnMessageExpiration: true
  }
}]

// Declaring a rule through Resource Manager replaces the subscription's $Default rule (a true filter without an
// action), so every message forwarded carries the stamp. Department codes hold no quote; one is doubled anyway.
resource vouches 'Microsoft.ServiceBus/namespaces/topics/subscriptions/rules@2026-01-01' = [for (d, i) in departments: {
  parent: forwards[i]
  name: 'vouch-department'
  properties: {
    filterType: 'SqlFilter'
    sqlFilter: {
      sqlExpression: '1=1'
    }
    action: {
      sqlExpression: 'SET vouchedDepartment = \'${replace(d.code, '\'', '\'\'')}\''
    }
  }
}]

// Data Sender on the department's own topic only, granted once its stamping rule exists, so that nothing a sender
// sends is forwarded unstamped.
resource senderRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for s in senders: {
  name: guid(topics[s.department].id, s.principalId, roles.serviceBusDataSender)
  scope: topics[s.department]
  properties: {
    principalId: s.principalId
    principalType: s.principalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataSender)
  }
  dependsOn: [vouches]
}]

@description('Each department\'s topic, by code: where compliance push and the department\'s pipelines send.')
output topics object = toObject(departments, d => d.code, d => '${queueName}-${toLower(d.code)}')
