// Azure Monitor alerts: any dead-lettered asset event (a message the pipeline could not process after every retry, or
// a department topic could not forward),
// and failed function executions. Notifications go to an action group when one is given.
param tags object
param serviceBusNamespaceName string
param appInsightsName string
param actionGroupId string

resource namespace 'Microsoft.ServiceBus/namespaces@2026-01-01' existing = {
  name: serviceBusNamespaceName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

var actions = empty(actionGroupId) ? [] : [{ actionGroupId: actionGroupId }]

resource deadLetters 'Microsoft.Insights/metricAlerts@2026-01-01' = {
  name: 'alert-dead-lettered-asset-events'
  location: 'global'
  tags: tags
  properties: {
    description: 'Asset events were dead-lettered: they failed processing maxDeliveryCount times. Inspect the dead-letter queue.'
    severity: 1
    enabled: true
    scopes: [namespace.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          name: 'deadLettered'
          criterionType: 'StaticThresholdCriterion'
          metricName: 'DeadletteredMessages'
          metricNamespace: 'Microsoft.ServiceBus/namespaces'
          // Every entity: the queue, and each department topic's forwarding subscription (a message it could not
          // forward to the queue is dead-lettered there, and would otherwise be lost without a word).
          dimensions: [{ name: 'EntityName', operator: 'Include', values: ['*'] }]
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Maximum'
        }
      ]
    }
    actions: actions
  }
}

resource functionFailures 'Microsoft.Insights/metricAlerts@2026-01-01' = {
  name: 'alert-function-failures'
  location: 'global'
  tags: tags
  properties: {
    description: 'Function executions failed (storage outages redeliver batches; repeated failures need attention).'
    severity: 2
    enabled: true
    scopes: [appInsights.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          name: 'failedRequests'
          criterionType: 'StaticThresholdCriterion'
          metricName: 'requests/failed'
          metricNamespace: 'microsoft.insights/components'
          operator: 'GreaterThan'
          threshold: 5
          timeAggregation: 'Count'
        }
      ]
    }
    actions: actions
  }
}
