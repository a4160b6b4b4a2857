/**
 * The Graph-backed services, built from the configuration the same way by the bot (src/index.ts) and the
 * admin CLI (src/cli.ts): the directory adapter, the provisioning service over the store's policy→group map,
 * and who may approve.
 */
import type { Config } from './config';
import type { Logger } from './log';
import { createGraphDirectory, createProvisioningService, type Directory, type PolicyGroupRegistry, type ProvisioningService } from './provisioning';
import { createApproverDirectory } from './requests/approvers';
import type { ApproverDirectory } from './requests/types';

export interface DirectoryServices {
  readonly directory: Directory;
  readonly provisioning: ProvisioningService;
  readonly approvers: ApproverDirectory;
}

export function createDirectoryServices(config: Config, registry: PolicyGroupRegistry, logger: Logger): DirectoryServices {
  const directory = createGraphDirectory({
    baseUrl: config.graph.baseUrl,
    credential: config.graph.credential,
    retry: { attemptTimeoutMs: config.graph.timeoutMs },
    // One line per Graph call, retries included, with Graph's request-id and our client-request-id.
    onRequest: (attempt) => logger.debug({ graph: attempt }, 'graph call'),
  });
  const provisioning = createProvisioningService({
    directory,
    registry,
    naming: { template: config.naming.groupNameTemplate, blockedWords: config.naming.blockedWords },
    logger: logger.child({ component: 'provisioning' }),
  });
  const approvers = createApproverDirectory({
    approverIds: config.approvers.ids,
    approverGroupId: config.approvers.groupId,
    membership: directory,
  });
  return { directory, provisioning, approvers };
}
