/** Who may approve (APPROVER_IDS, APPROVER_GROUP_ID, ALLOW_SELF_APPROVAL): somebody must be able to. */
import type { EnvironmentReader } from '../reader';
import { booleanFlag, commaList, guid } from '../schema';
import type { Config } from '../types';

const guidList = commaList.pipe(guid.describe('approver id').array());

export function readApprovers(reader: EnvironmentReader): Config['approvers'] {
  const ids = reader.optional('APPROVER_IDS', guidList);
  const groupId = reader.optional('APPROVER_GROUP_ID', guid);
  if (!reader.isSet('APPROVER_IDS') && !reader.isSet('APPROVER_GROUP_ID')) {
    reader.problem('APPROVER_IDS or APPROVER_GROUP_ID is required: nobody could approve a request (Entra object ids, comma-separated, or the object id of an Entra group)');
  } else if (ids?.length === 0 && !reader.isSet('APPROVER_GROUP_ID')) {
    reader.problem('APPROVER_IDS lists no approver');
  }
  const allowSelfApproval = reader.optional('ALLOW_SELF_APPROVAL', booleanFlag) ?? false;
  return groupId ? { ids: ids ?? [], groupId, allowSelfApproval } : { ids: ids ?? [], allowSelfApproval };
}
