/** Policy administration: the drift check (owner repair, restore), binding to the Intune policy, the approvals channel, every policy in the tenant (adopt, replace, use the bot's group, assign an app or script to its device group). */
import type { Feature } from '../../routes';
import { CARD_VERBS } from '../../verbs';
import { assignToGroup } from './assign';
import { BIND_COMMAND, bindFromCard, handleBind } from './bind';
import { CHECK_COMMAND, handleCheck } from './check';
import { POLICIES_COMMAND, adoptGroup, handlePolicies, showPoliciesPage } from './listPolicies';
import { REGISTER_APPROVALS_COMMAND, handleRegisterApprovals } from './registerApprovals';
import { repairOwner } from './repairOwner';
import { REPLACE_COMMAND, handleReplace, replaceGroup, useBotGroup } from './replace';
import { RESTORE_COMMAND, handleRestore, restoreGroup } from './restore';

export const policiesFeature: Feature = {
  name: 'policies',
  register(routes) {
    routes.command(CHECK_COMMAND, handleCheck);
    routes.command(BIND_COMMAND, handleBind);
    routes.command(REGISTER_APPROVALS_COMMAND, handleRegisterApprovals);
    routes.command(RESTORE_COMMAND, handleRestore);
    routes.command(POLICIES_COMMAND, handlePolicies);
    routes.command(REPLACE_COMMAND, handleReplace);
    routes.verb(CARD_VERBS.bindPolicy, bindFromCard);
    routes.verb(CARD_VERBS.repairOwner, repairOwner);
    routes.verb(CARD_VERBS.restoreGroup, restoreGroup);
    routes.verb(CARD_VERBS.policiesPage, showPoliciesPage);
    routes.verb(CARD_VERBS.adoptGroup, adoptGroup);
    routes.verb(CARD_VERBS.assignToGroup, assignToGroup);
    routes.verb(CARD_VERBS.replaceGroup, replaceGroup);
    routes.verb(CARD_VERBS.useBotGroup, useBotGroup);
  },
};
