// The bot in Azure: App Service (Linux, Node 20 LTS) running `node lib/index.js` in production mode, a
// user-assigned managed identity that is both the bot's identity (Azure Bot, UserAssignedMSI) and its
// Microsoft Graph credential, and optionally an Azure Database for PostgreSQL flexible server so several
// instances can share state. Every setting of src/config.ts is an app setting here.
//
// The managed identity still needs Graph application permissions (Group.ReadWrite.All, Application.Read.All,
// DeviceManagementConfiguration.ReadWrite.All for `bind`, and optionally more): see README.md, "Graph permissions".

@minLength(4)
@maxLength(20)
@description('Prefix of every resource name.')
param resourceBaseName string

param location string = resourceGroup().location

@description('App Service plan SKU. B1 is the smallest with Always On.')
param webAppSku string = 'B1'

@maxLength(42)
param botDisplayName string = 'Autopilot groups'

@description('Entra object ids of the approvers, comma-separated.')
param approverIds string = ''

@description('Object id of an Entra group whose (transitive) members are approvers.')
param approverGroupId string = ''

param allowSelfApproval bool = false

@description('Display-name template with {policy} and optionally {scenario}; empty for the default.')
param groupNameTemplate string = ''

@description('Comma-separated words refused in policy names.')
param blockedWords string = ''

@allowed(['fatal', 'error', 'warn', 'info', 'debug', 'trace'])
param logLevel string = 'info'

@description('true: PostgreSQL flexible server (required for more than one instance). false: SQLite on the App Service /home share, one instance only.')
param deployPostgres bool = true

param postgresAdminLogin string = 'botadmin'

@secure()
@description('Required when deployPostgres is true (set SECRET_POSTGRES_ADMIN_PASSWORD in env/.env.<env>.user).')
param postgresAdminPassword string = ''

@description('Number of App Service instances. More than one requires deployPostgres.')
@minValue(1)
param instanceCount int = 1

var postgresDatabaseName = 'autopilot'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: resourceBaseName
  location: location
}

resource plan 'Microsoft.Web/serverfarms@2022-09-01' = {
  name: resourceBaseName
  location: location
  kind: 'linux'
  sku: {
    name: webAppSku
    capacity: instanceCount
  }
  properties: {
    reserved: true // Linux
  }
}

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2022-12-01' = if (deployPostgres) {
  name: '${resourceBaseName}-pg'
  location: location
  sku: {
    name: 'Standard_B1ms'
    tier: 'Burstable'
  }
  properties: {
    version: '15'
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
    storage: {
      storageSizeGB: 32
    }
    backup: {
      backupRetentionDays: 7
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
  }
}

resource postgresDatabase 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2022-12-01' = if (deployPostgres) {
  parent: postgres
  name: postgresDatabaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}

// 0.0.0.0–0.0.0.0 is Azure's "allow Azure services" rule: the App Service reaches the server, the internet does not.
resource postgresAllowAzure 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2022-12-01' = if (deployPostgres) {
  parent: postgres
  name: 'AllowAzureServices'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

var storeSettings = deployPostgres ? [
  {
    name: 'DATABASE_URL'
    value: 'postgres://${postgresAdminLogin}:${uriComponent(postgresAdminPassword)}@${deployPostgres ? postgres.properties.fullyQualifiedDomainName : ''}:5432/${postgresDatabaseName}?sslmode=require'
  }
] : [
  {
    name: 'SQLITE_PATH'
    value: '/home/data/bot.sqlite'
  }
]

resource webApp 'Microsoft.Web/sites@2022-09-01' = {
  name: resourceBaseName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      appCommandLine: 'node lib/index.js'
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/healthz'
      appSettings: concat([
        { name: 'APP_MODE', value: 'production' }
        { name: 'HOST', value: '0.0.0.0' } // App Service sets PORT itself
        { name: 'BOT_TYPE', value: 'UserAssignedMsi' }
        { name: 'BOT_ID', value: identity.properties.clientId }
        { name: 'BOT_TENANT_ID', value: identity.properties.tenantId }
        { name: 'GRAPH_CREDENTIAL', value: 'managedIdentity' }
        { name: 'GRAPH_CLIENT_ID', value: identity.properties.clientId }
        { name: 'APPROVER_IDS', value: approverIds }
        { name: 'APPROVER_GROUP_ID', value: approverGroupId }
        { name: 'ALLOW_SELF_APPROVAL', value: allowSelfApproval ? 'true' : 'false' }
        { name: 'GROUP_NAME_TEMPLATE', value: groupNameTemplate }
        { name: 'BLOCKED_WORDS', value: blockedWords }
        { name: 'LOG_LEVEL', value: logLevel }
        // The zip has sources and the lockfile, no node_modules: install and build on the server's platform.
        { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'true' }
      ], storeSettings)
    }
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: resourceBaseName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: 'F0'
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppId: identity.properties.clientId
    msaAppMSIResourceId: identity.id
    msaAppTenantId: identity.properties.tenantId
    msaAppType: 'UserAssignedMSI'
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}

// Written to env/.env.<env> by `teamsapp provision`.
output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = identity.properties.tenantId
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
@description('Grant the Graph application permissions to this service principal (README.md, "Graph permissions").')
output BOT_IDENTITY_PRINCIPAL_ID string = identity.properties.principalId
