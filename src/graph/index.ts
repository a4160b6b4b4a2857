/** The Microsoft Graph adapter: the provisioning service's Directory, the approvers' membership lookup, the bot's app installer. */
export { createGraphDirectory, odataStringLiteral, GRAPH_BASE_URL, type GraphDirectoryOptions, type GraphRetryOptions } from './graphDirectory';
export { type GraphCredentialConfig } from './graphCredential';
export { type GraphAttempt } from './graphMiddleware';
