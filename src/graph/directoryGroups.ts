/** Directory groups and their owners, and the service principal that owns them, over Graph. */
import type { z } from 'zod';
import { DISPLAY_NAME_FILTER_LIMIT, type Directory, type DirectoryGroup, type DirectoryObjectRef, type UpsertOutcome } from '../provisioning/directory';
import type { GraphClient } from './graphClient';
import { isGraphStatus, parse, type GraphResponse } from './graphResponse';
import { directoryObjectSchema, groupSchema, servicePrincipalSchema, shortODataType } from './graphSchemas';
import { odataStringLiteral } from './graphUrl';

export type DirectoryGroups = Pick<
  Directory,
  'findServicePrincipalByAppId' | 'findGroupsByDisplayName' | 'upsertGroup' | 'getGroupByUniqueName' | 'getGroup' | 'listMembers' | 'listOwners' | 'addServicePrincipalOwner'
>;

const BAD_REQUEST = 400;
/** Graph's 400 for adding an owner (by `$ref` or `owners@odata.bind`) that the group already has. */
const REFERENCES_EXIST_MESSAGE = /added object references already exist/i;
/** Graph's 400 for a uniqueName another object holds (a racing create, or a deleted group in the recycle bin). */
const UNIQUE_NAME_TAKEN_MESSAGE = /same value for property uniqueName/i;

export function createDirectoryGroups(graph: GraphClient): DirectoryGroups {
  const toGroup = (response: GraphResponse): DirectoryGroup => groupFrom(parse(groupSchema, response, 'group'));

  /** The `@odata.id` / `@odata.bind` URL of a service principal, on the configured Graph cloud's own host. */
  const servicePrincipalReference = (servicePrincipalId: string): string => `${graph.origin}/v1.0/servicePrincipals/${servicePrincipalId}`;

  return {
    async findServicePrincipalByAppId(appId) {
      return graph.getOptional(
        `/servicePrincipals(appId=${encodeURIComponent(odataStringLiteral(appId))})`,
        (response) => {
          const sp = parse(servicePrincipalSchema, response, 'servicePrincipal');
          return { id: sp.id, displayName: sp.displayName ?? '' };
        },
        false,
      );
    },

    async findGroupsByDisplayName(displayName) {
      // Graph refuses `eq` on a longer value; `startsWith` on a prefix it accepts, then the exact match here.
      const prefix = displayNamePrefix(displayName);
      const clause = prefix === displayName ? `displayName eq ${odataStringLiteral(displayName)}` : `startsWith(displayName,${odataStringLiteral(prefix)})`;
      const page = await graph.listAll(groupSchema, `/groups?$filter=${encodeURIComponent(clause)}&$expand=owners`);
      const wanted = displayName.toLowerCase();
      const groups = page.value.map(groupFrom).filter((group) => group.displayName.toLowerCase() === wanted);
      return { value: groups, requestIds: page.requestIds };
    },

    async upsertGroup(group) {
      let response: GraphResponse;
      try {
        response = await graph.call('PATCH', groupByUniqueNamePath(group.uniqueName), {
          headers: { Prefer: 'create-if-missing' },
          // Keyed by uniqueName: sent twice, it creates one group (201) and then finds it (204 or the 400 below).
          idempotent: true,
          body: {
            displayName: group.displayName,
            description: group.description,
            mailNickname: group.mailNickname,
            securityEnabled: true,
            mailEnabled: false,
            groupTypes: [],
            'owners@odata.bind': [servicePrincipalReference(group.ownerServicePrincipalId)],
          },
        });
      } catch (error) {
        if (!isGraphStatus(error, BAD_REQUEST)) throw error;
        const requestIds = [error.requestId ?? ''];
        // The group exists and already has the owner we bound again (msgraph-bicep-types#167).
        if (REFERENCES_EXIST_MESSAGE.test(error.graphMessage)) return { value: { created: false }, requestIds };
        if (UNIQUE_NAME_TAKEN_MESSAGE.test(error.graphMessage)) return { value: { created: false, uniqueNameTaken: true }, requestIds };
        throw error;
      }
      const outcome: UpsertOutcome =
        response.status === 201 ? { created: true, group: toGroup(response) } : { created: false };
      return { value: outcome, requestIds: [response.requestId] };
    },

    async getGroupByUniqueName(uniqueName, readOptions) {
      return graph.getOptional(`${groupByUniqueNamePath(uniqueName)}?$expand=owners`, toGroup, readOptions?.afterWrite ?? false);
    },

    async getGroup(groupId, readOptions) {
      return graph.getOptional(`/groups/${encodeURIComponent(groupId)}?$expand=owners`, toGroup, readOptions?.afterWrite ?? false);
    },

    async listMembers(groupId) {
      const page = await graph.listAll(directoryObjectSchema, `/groups/${encodeURIComponent(groupId)}/members?$select=id`);
      return { value: page.value.map(objectRefFrom), requestIds: page.requestIds };
    },

    async listOwners(groupId) {
      // v1.0 `/owners` leaves service principals out; beta lists them, and pages instead of truncating.
      const page = await graph.listAll(directoryObjectSchema, `/groups/${encodeURIComponent(groupId)}/owners?$select=id`, 'beta');
      return { value: page.value.map(objectRefFrom), requestIds: page.requestIds };
    },

    async addServicePrincipalOwner(groupId, servicePrincipalId) {
      try {
        const response = await graph.call('POST', `/groups/${encodeURIComponent(groupId)}/owners/$ref`, {
          // Sent twice, the second answers "already exist", which counts as done below.
          idempotent: true,
          body: { '@odata.id': servicePrincipalReference(servicePrincipalId) },
        });
        return { value: undefined, requestIds: [response.requestId] };
      } catch (error) {
        // Graph answers 400 "One or more added object references already exist" when it is an owner already.
        if (isGraphStatus(error, BAD_REQUEST) && REFERENCES_EXIST_MESSAGE.test(error.graphMessage)) {
          return { value: undefined, requestIds: [error.requestId ?? ''] };
        }
        throw error;
      }
    },
  };
}

/** The longest prefix of at most DISPLAY_NAME_FILTER_LIMIT UTF-16 units that does not split a surrogate pair. */
function displayNamePrefix(displayName: string): string {
  if (displayName.length <= DISPLAY_NAME_FILTER_LIMIT) return displayName;
  const cut = displayName.slice(0, DISPLAY_NAME_FILTER_LIMIT);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

function groupByUniqueNamePath(uniqueName: string): string {
  return `/groups(uniqueName=${encodeURIComponent(odataStringLiteral(uniqueName))})`;
}

function groupFrom(group: z.infer<typeof groupSchema>): DirectoryGroup {
  return {
    id: group.id,
    displayName: group.displayName,
    mailNickname: group.mailNickname ?? null,
    uniqueName: group.uniqueName ?? null,
    securityEnabled: group.securityEnabled,
    mailEnabled: group.mailEnabled,
    groupTypes: group.groupTypes,
    isAssignableToRole: group.isAssignableToRole ?? null,
    ...(group.owners ? { owners: group.owners.map(objectRefFrom) } : {}),
  };
}

function objectRefFrom(object: z.infer<typeof directoryObjectSchema>): DirectoryObjectRef {
  return { id: object.id, type: shortODataType(object['@odata.type']) };
}
