/** Help: the command list, the welcome card on install, and the answer to anything no other feature took. */
import type { Feature } from '../../routes';
import { VERBS } from '../../verbs';
import { HELP_COMMAND, handleHelp, handleUnknown } from './help';
import { showHelp } from './showHelp';
import { handleMembersAdded } from './welcome';

export const helpFeature: Feature = {
  name: 'help',
  register(routes) {
    routes.command(HELP_COMMAND, handleHelp);
    routes.verb(VERBS.showHelp, showHelp);
    routes.membersAdded(handleMembersAdded);
    routes.anyOtherMessage(handleUnknown);
  },
};
