using 'main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'dev')
param location = readEnvironmentVariable('AZURE_LOCATION', 'uksouth')
param authClientId = readEnvironmentVariable('AUTH_CLIENT_ID', '00000000-0000-0000-0000-000000000000')
param serviceBusSku = 'Standard'
param useTeamsWebhookSecret = bool(readEnvironmentVariable('USE_TEAMS_WEBHOOK_SECRET', 'false'))
param netBoxDepartments = empty(readEnvironmentVariable('NETBOX_DEPARTMENTS', '')) ? [] : split(readEnvironmentVariable('NETBOX_DEPARTMENTS', ''), ',')
// DEPARTMENT_SENDERS='[{"code":"HO","senderPrincipalIds":["<object id>"]}]'
param departments = json(readEnvironmentVariable('DEPARTMENT_SENDERS', '[]'))
param actionGroupId = readEnvironmentVariable('ACTION_GROUP_ID', '')
param observationNetworks = readEnvironmentVariable('OBSERVATION_NETWORKS', '')
