/** Public entry of the provisioning module. */
export { createProvisioningService, INTUNE_MANUAL_BIND_PATH, type ProvisioningServiceDeps } from './service';
export { GraphError, isGraphError } from './graphError';
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
