/** Help: the command list, the welcome card on install, and the answer to anything no other feature took. */
import type { Feature } from '../../routes';
import { CARD_VERBS } from '../../verbs';
import { GREETING, HELP_COMMAND, THANKS, handleGreeting, handleHelp, handleThanks, handleUnknown } from './help';
import { showHelp } from './showHelp';
import { handleMembersAdded } from './welcome';

export const helpFeature: Feature = {
  name: 'help',
  register(routes) {
    routes.command(HELP_COMMAND, handleHelp);
    routes.command(GREETING, handleGreeting);
    routes.command(THANKS, handleThanks);
    routes.verb(CARD_VERBS.showHelp, showHelp);
    routes.membersAdded(handleMembersAdded);
    routes.anyOtherMessage(handleUnknown);
  },
};
