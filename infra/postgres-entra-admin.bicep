// Makes a service principal the Entra administrator of a PostgreSQL flexible server. A module of its own
// because the administrator resource is named by the principal's object id, which is only known while the
// deployment runs (a resource name in the main template must be known before it starts).

param serverName string

@description('Object id of the service principal (e.g. a managed identity).')
param principalId string

@description('Its display name: the PostgreSQL user name it logs in with.')
param principalName string

param tenantId string = subscription().tenantId

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' existing = {
  name: serverName
}

resource administrator 'Microsoft.DBforPostgreSQL/flexibleServers/administrators@2024-08-01' = {
  parent: server
  name: principalId
  properties: {
    principalType: 'ServicePrincipal'
    principalName: principalName
    tenantId: tenantId
  }
}
