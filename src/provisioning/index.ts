/** Public entry of the provisioning module. */
export { createProvisioningService, INTUNE_MANUAL_BIND_PATH, type ProvisioningServiceDeps } from './service';
export { createGraphDirectory, odataStringLiteral, GRAPH_BASE_URL, type GraphDirectoryOptions, type GraphRetryOptions } from './graphDirectory';
export { type GraphCredentialConfig } from './graphCredential';
export { GraphError, isGraphError } from './graphError';
export { type GraphAttempt } from './graphMiddleware';
export { OWNER_APP_ID, type Directory, type DirectoryGroup } from './directory';
export {
  ProvisioningError,
  OwnerServicePrincipalMissingError,
  ForeignGroupConflictError,
  GroupVerificationError,
  GroupInRecycleBinError,
  type ProvisioningErrorCode,
} from './errors';
export * from './types';
