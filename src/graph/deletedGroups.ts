/** Groups in the directory's recycle bin (`/directory/deletedItems`): read, find by uniqueName, restore. */
import type { z } from 'zod';
import type { DeletedGroup, Directory } from '../provisioning/directory';
import type { GraphClient } from './graphClient';
import { parse } from './graphResponse';
import { deletedGroupSchema } from './graphSchemas';

export type DeletedGroups = Pick<Directory, 'getDeletedGroup' | 'findDeletedGroupByUniqueName' | 'restoreDeletedGroup'>;

export function createDeletedGroups(graph: GraphClient): DeletedGroups {
  return {
    async getDeletedGroup(groupId) {
      return graph.getOptional(`/directory/deletedItems/${encodeURIComponent(groupId)}`, (response) => deletedGroupFrom(parse(deletedGroupSchema, response, 'deleted group')), false);
    },

    async findDeletedGroupByUniqueName(uniqueName) {
      // Filtering deleted items by uniqueName is not documented: list the deleted groups and match here.
      const page = await graph.listAll(deletedGroupSchema, '/directory/deletedItems/microsoft.graph.group?$select=id,displayName,uniqueName,deletedDateTime');
      const wanted = uniqueName.toLowerCase();
      const found = page.value.find((group) => group.uniqueName?.toLowerCase() === wanted);
      return { value: found && deletedGroupFrom(found), requestIds: page.requestIds };
    },

    async restoreDeletedGroup(groupId) {
      // Not idempotent: once restored, the item has left the recycle bin and a second restore is a 404.
      const response = await graph.call('POST', `/directory/deletedItems/${encodeURIComponent(groupId)}/restore`);
      return { value: undefined, requestIds: [response.requestId] };
    },
  };
}

function deletedGroupFrom(group: z.infer<typeof deletedGroupSchema>): DeletedGroup {
  return { id: group.id, displayName: group.displayName ?? null, uniqueName: group.uniqueName ?? null, deletedDateTime: group.deletedDateTime };
}
