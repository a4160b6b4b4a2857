/** Status and lists: where a request or policy stands, your requests, what is pending, every group, cancel. */
import type { Feature } from '../../routes';
import { CARD_VERBS } from '../../verbs';
import { CANCEL_COMMAND, handleCancel } from './cancel';
import { groupsPage } from './groupsPage';
import { GROUPS_COMMAND, MINE_COMMAND, PENDING_COMMAND, handleGroups, handleMine, handlePending } from './lists';
import { cancelRequest, showRequest } from './requestButtons';
import { showMine } from './showMine';
import { ABOUT_MY_REQUESTS, BARE_REQUEST_ID, STATUS_COMMAND, handleBareRequestId, handleStatus } from './status';

export const statusFeature: Feature = {
  name: 'status',
  register(routes) {
    routes.command(STATUS_COMMAND, handleStatus);
    routes.command(MINE_COMMAND, handleMine);
    routes.command(PENDING_COMMAND, handlePending);
    routes.command(GROUPS_COMMAND, handleGroups);
    routes.command(CANCEL_COMMAND, handleCancel);
    routes.command(BARE_REQUEST_ID, handleBareRequestId);
    routes.command(ABOUT_MY_REQUESTS, handleMine);
    routes.verb(CARD_VERBS.showMine, showMine);
    routes.verb(CARD_VERBS.groupsPage, groupsPage);
    routes.verb(CARD_VERBS.showRequest, showRequest);
    routes.verb(CARD_VERBS.cancelRequest, cancelRequest);
  },
};
