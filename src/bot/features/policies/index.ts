/** Policy administration: the drift check (and owner repair), binding to the Intune policy, the approvals channel. */
import type { Feature } from '../../routes';
import { VERBS } from '../../verbs';
import { BIND_COMMAND, handleBind } from './bind';
import { CHECK_COMMAND, handleCheck } from './check';
import { REGISTER_APPROVALS_COMMAND, handleRegisterApprovals } from './registerApprovals';
import { repairOwner } from './repairOwner';

export const policiesFeature: Feature = {
  name: 'policies',
  register(routes) {
    routes.command(CHECK_COMMAND, handleCheck);
    routes.command(BIND_COMMAND, handleBind);
    routes.command(REGISTER_APPROVALS_COMMAND, handleRegisterApprovals);
    routes.verb(VERBS.repairOwner, repairOwner);
  },
};
