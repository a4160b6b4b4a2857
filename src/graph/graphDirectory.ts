/**
 * The Graph adapter composed: one client (transport, retries, errors) shared by one module per Graph area,
 * together the provisioning service's Directory, the approvers' membership lookup, the bot's app installer and
 * the inventory's Intune readiness reads (with the one-click fix's assignment write).
 */
import type { TeamsAppInstaller } from '../bot/ports';
import type { Directory } from '../provisioning/directory';
import type { GroupMembershipChecker } from '../requests/ports';
import { createDeletedGroups } from './deletedGroups';
import { createDevicePreparationPolicies } from './devicePreparationPolicies';
import { createDirectoryGroups } from './directoryGroups';
import { createGraphClient, type GraphClientOptions } from './graphClient';
import { callerKindOf } from './graphCredential';
import { createGroupMembershipChecker } from './groupMembership';
import { createTeamsAppInstaller } from './teamsAppInstaller';
import { createIntuneReadiness } from './intuneReadiness';
import type { IntuneAssigner, IntuneReadinessReader } from '../inventory/intune';

export type GraphDirectoryOptions = GraphClientOptions;

/** The Directory port, the approver directory's membership lookup and the bot's app installer, over Microsoft Graph. */
export function createGraphDirectory(options: GraphDirectoryOptions): Directory & GroupMembershipChecker & TeamsAppInstaller & IntuneReadinessReader & IntuneAssigner {
  const graph = createGraphClient(options);
  return {
    ...createDirectoryGroups(graph),
    ...createDeletedGroups(graph),
    ...createDevicePreparationPolicies(graph),
    ...createGroupMembershipChecker(graph),
    ...createTeamsAppInstaller(graph),
    ...createIntuneReadiness(graph),
    async callerKind() {
      return callerKindOf(await graph.token());
    },
  };
}
