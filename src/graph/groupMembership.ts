/** The approver directory's GroupMembershipChecker over Graph: transitive membership of users in a group. */
import type { GroupMembershipChecker } from '../requests/ports';
import type { GraphClient } from './graphClient';
import { isGraphStatus } from './graphResponse';
import { checkMemberGroupsSchema, userIdSchema } from './graphSchemas';

const NOT_FOUND = 404;

export function createGroupMembershipChecker(graph: GraphClient): GroupMembershipChecker {
  return {
    async listTransitiveUserMembers(groupId) {
      const path = `/groups/${encodeURIComponent(groupId)}/transitiveMembers/microsoft.graph.user?$select=id`;
      return (await graph.listAll(userIdSchema, path)).value.map((user) => user.id);
    },

    async isTransitiveMember(userObjectId, groupId) {
      try {
        const { value } = await graph.callParsed(checkMemberGroupsSchema, 'POST', `/users/${encodeURIComponent(userObjectId)}/checkMemberGroups`, {
          body: { groupIds: [groupId] },
          idempotent: true, // a read, though a POST
        });
        return value.value.includes(groupId);
      } catch (error) {
        // A user the directory does not know is nobody's member.
        if (isGraphStatus(error, NOT_FOUND)) return false;
        throw error;
      }
    },
  };
}
