/** The Microsoft Graph adapter: the provisioning service's Directory, the approvers' membership lookup, the bot's app installer. */
export { createGraphDirectory, type GraphDirectoryOptions } from './graphDirectory';
export { GRAPH_BASE_URL, odataStringLiteral } from './graphUrl';
export { DEFAULT_GRAPH_ATTEMPT_TIMEOUT_MS, DEFAULT_REPLICATION_READ_BUDGET_MS, type GraphRetryOptions } from './graphRetry';
export { type GraphCredentialConfig } from './graphCredential';
export { type GraphAttempt } from './graphMiddleware';
export { membershipTargetRead } from './devicePreparationPolicies';
export { createIntunePacer, type IntunePacerOptions, type RequestPacer } from './intunePacer';
