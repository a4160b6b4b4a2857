// The bot in Azure: App Service (Linux, Node 22 LTS) running `node lib/index.js` in production mode; a
// user-assigned managed identity that is the bot's identity (Azure Bot, UserAssignedMSI), its Microsoft Graph
// credential and its PostgreSQL login; Azure Database for PostgreSQL flexible server (16) with Entra
// authentication only, reachable only from the App Service through a virtual network; workspace-based
// Application Insights. Every setting of src/config.ts is an app setting here. The one secret is the sign-in
// app's client secret (a secure parameter): only the Azure Bot's OAuth connection holds it, never the App Service.
//
// The managed identity still needs Graph application permissions (Group.ReadWrite.All, Application.Read.All,
// DeviceManagementConfiguration.ReadWrite.All for `bind` and for assigning scripts, DeviceManagementApps.ReadWrite.All
// for assigning apps): see README.md, "Graph permissions".
//
// SQLite is not offered here: App Service's /home is a network share (SQLite's WAL and locking are unsafe
// there) and App Service overlaps two instances on restart; the bot refuses SQLite on App Service.

@minLength(4)
@maxLength(20)
@description('Prefix of every resource name.')
param resourceBaseName string

param location string = resourceGroup().location

@description('App Service plan SKU. B1 is the smallest with Always On and virtual network integration.')
param webAppSku string = 'B1'

@maxLength(42)
param botDisplayName string = 'Autopilot groups'

@description('Entra object ids of individual approvers, comma-separated (in addition to the group).')
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

@description('Number of App Service instances; they share state in PostgreSQL.')
@minValue(1)
param instanceCount int = 1

@description('Client id of the sign-in app (aad.manifest.json): the Entra app approvers sign in to from Teams.')
param signInAppId string

@description('Tenant of the sign-in app (single-tenant: the Teams tenant, which may differ from the subscription\'s).')
param signInAppTenantId string

@secure()
@description('Client secret of the sign-in app, for the OAuth connection only.')
param signInAppPassword string

@description('Name of the Azure Bot\'s OAuth connection; the bot reads it as OAUTH_CONNECTION_NAME.')
@minLength(1)
param oauthConnectionName string = 'IntuneGraph'

@allowed(['16', '17'])
param postgresVersion string = '16'

@description('Address space of the virtual network that joins the App Service and PostgreSQL.')
param vnetAddressPrefix string = '10.42.0.0/24'

var postgresDatabaseName = 'autopilot'
var appSubnetPrefix = cidrSubnet(vnetAddressPrefix, 26, 0)
var postgresSubnetPrefix = cidrSubnet(vnetAddressPrefix, 26, 1)

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: resourceBaseName
  location: location
}

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: resourceBaseName
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

// Workspace-based (classic Application Insights is retired): telemetry lands in the Log Analytics workspace.
resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: resourceBaseName
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
  }
}

// The App Service reaches PostgreSQL only through this network: the server has no public endpoint at all.
resource vnet 'Microsoft.Network/virtualNetworks@2023-09-01' = {
  name: resourceBaseName
  location: location
  properties: {
    addressSpace: {
      addressPrefixes: [vnetAddressPrefix]
    }
    subnets: [
      {
        name: 'app'
        properties: {
          addressPrefix: appSubnetPrefix
          delegations: [
            {
              name: 'app-service'
              properties: {
                serviceName: 'Microsoft.Web/serverFarms'
              }
            }
          ]
        }
      }
      {
        name: 'postgres'
        properties: {
          addressPrefix: postgresSubnetPrefix
          delegations: [
            {
              name: 'postgres-flexible-server'
              properties: {
                serviceName: 'Microsoft.DBforPostgreSQL/flexibleServers'
              }
            }
          ]
        }
      }
    ]
  }
}

resource postgresDns 'Microsoft.Network/privateDnsZones@2020-06-01' = {
  name: '${resourceBaseName}.private.postgres.database.azure.com'
  location: 'global'
}

resource postgresDnsLink 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = {
  parent: postgresDns
  name: resourceBaseName
  location: 'global'
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet.id
    }
  }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
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

// Entra authentication only: no administrator login or password exists on this server.
resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: '${resourceBaseName}-pg'
  location: location
  sku: {
    name: 'Standard_B1ms'
    tier: 'Burstable'
  }
  properties: {
    version: postgresVersion
    authConfig: {
      activeDirectoryAuth: 'Enabled'
      passwordAuth: 'Disabled'
      tenantId: subscription().tenantId
    }
    // Private access (VNet injection): the server gets an address in the delegated subnet and no public
    // endpoint; public access cannot be switched on for such a server.
    network: {
      delegatedSubnetResourceId: '${vnet.id}/subnets/postgres'
      privateDnsZoneArmResourceId: postgresDns.id
    }
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
  dependsOn: [
    postgresDnsLink
  ]
}

// The bot's managed identity is the server's Entra administrator: it owns the schema its migrations create.
// Its PostgreSQL user name is the identity's name.
module postgresAdmin 'postgres-entra-admin.bicep' = {
  name: 'postgres-entra-admin'
  params: {
    serverName: postgres.name
    principalId: identity.properties.principalId
    principalName: identity.name
  }
}

resource postgresDatabase 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: postgres
  name: postgresDatabaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
  dependsOn: [
    postgresAdmin
  ]
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
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
    virtualNetworkSubnetId: '${vnet.id}/subnets/app'
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      appCommandLine: 'node lib/index.js'
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/healthz'
      // Outbound traffic goes through the virtual network, so the private DNS zone resolves the server.
      vnetRouteAllEnabled: true
      appSettings: [
        { name: 'APP_MODE', value: 'production' }
        { name: 'HOST', value: '0.0.0.0' } // App Service sets PORT itself
        { name: 'BOT_TYPE', value: 'UserAssignedMsi' }
        { name: 'BOT_ID', value: identity.properties.clientId }
        { name: 'BOT_TENANT_ID', value: identity.properties.tenantId }
        { name: 'GRAPH_CREDENTIAL', value: 'managedIdentity' }
        { name: 'GRAPH_CLIENT_ID', value: identity.properties.clientId }
        // Intune's limits are per app and tenant: each instance paces to its part of them.
        { name: 'GRAPH_INTUNE_INSTANCES', value: string(instanceCount) }
        { name: 'APPROVER_IDS', value: approverIds }
        { name: 'APPROVER_GROUP_ID', value: approverGroupId }
        { name: 'ALLOW_SELF_APPROVAL', value: allowSelfApproval ? 'true' : 'false' }
        { name: 'GROUP_NAME_TEMPLATE', value: groupNameTemplate }
        { name: 'BLOCKED_WORDS', value: blockedWords }
        { name: 'LOG_LEVEL', value: logLevel }
        { name: 'OAUTH_CONNECTION_NAME', value: oauthConnectionName }
        // Passwordless PostgreSQL: the user is the identity, the password an Entra token it fetches and renews,
        // and the server's certificate is checked against Azure's roots and its host name (verify-full).
        {
          name: 'DATABASE_URL'
          value: 'postgres://${uriComponent(identity.name)}@${postgres.properties.fullyQualifiedDomainName}:5432/${postgresDatabaseName}?sslmode=verify-full'
        }
        { name: 'DATABASE_AUTH', value: 'entra' }
        { name: 'DATABASE_ENTRA_CLIENT_ID', value: identity.properties.clientId }
        { name: 'DATABASE_CA', value: 'azure' }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
        // The zip has sources and the lockfile, no node_modules: install and build on the server's platform.
        { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'true' }
      ]
    }
  }
  dependsOn: [
    postgresDatabase
  ]
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

// The approver's sign-in (issue 19): an Azure AD v2 connection (service provider `Aadv2`, "Azure Active Directory
// v2", id 30dd229c-58e3-4a48-bdfd-91ec48eb906c) to the sign-in app. The token service keeps each approver's
// token; `bind` asks it for one and calls Intune as the approver. offline_access lets the service renew the
// token without a new sign-in; tokenExchangeUrl is the sign-in app's identifier URI, so Teams' SSO token
// (audience api://botid-{id}) can be exchanged without a sign-in card.
resource oauthConnection 'Microsoft.BotService/botServices/connections@2022-09-15' = {
  parent: bot
  name: oauthConnectionName
  location: 'global'
  properties: {
    serviceProviderDisplayName: 'Azure Active Directory v2'
    serviceProviderId: '30dd229c-58e3-4a48-bdfd-91ec48eb906c'
    clientId: signInAppId
    clientSecret: signInAppPassword
    scopes: 'openid profile offline_access DeviceManagementConfiguration.ReadWrite.All'
    parameters: [
      { key: 'tenantID', value: signInAppTenantId }
      { key: 'tokenExchangeUrl', value: 'api://botid-${signInAppId}' }
    ]
  }
}

// Written to env/.env.<env> by `teamsapp provision`.
output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = identity.properties.tenantId
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
@description('Grant the Graph application permissions to this service principal (README.md, "Graph permissions").')
output BOT_IDENTITY_PRINCIPAL_ID string = identity.properties.principalId
