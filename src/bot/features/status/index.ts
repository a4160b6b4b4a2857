/** Status and lists: where a request or policy stands, your requests, what is pending, every group, cancel. */
import type { Feature } from '../../routes';
import { VERBS } from '../../verbs';
import { CANCEL_COMMAND, handleCancel } from './cancel';
import { groupsPage } from './groupsPage';
import { GROUPS_COMMAND, MINE_COMMAND, PENDING_COMMAND, handleGroups, handleMine, handlePending } from './lists';
import { showMine } from './showMine';
import { STATUS_COMMAND, handleStatus } from './status';

export const statusFeature: Feature = {
  name: 'status',
  register(routes) {
    routes.command(STATUS_COMMAND, handleStatus);
    routes.command(MINE_COMMAND, handleMine);
    routes.command(PENDING_COMMAND, handlePending);
    routes.command(GROUPS_COMMAND, handleGroups);
    routes.command(CANCEL_COMMAND, handleCancel);
    routes.verb(VERBS.showMine, showMine);
    routes.verb(VERBS.groupsPage, groupsPage);
  },
};
