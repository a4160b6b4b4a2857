/** Approval: the approval card's buttons, and (notifier.ts) the proactive side that posts and updates it. */
import type { Feature } from '../../routes';
import { CARD_VERBS } from '../../verbs';
import { approve } from './approve';
import { refreshApproval } from './refreshApproval';
import { reject } from './reject';
import { retry } from './retry';

export const approvalFeature: Feature = {
  name: 'approval',
  register(routes) {
    routes.verb(CARD_VERBS.refreshApproval, refreshApproval);
    routes.verb(CARD_VERBS.approve, approve);
    routes.verb(CARD_VERBS.reject, reject);
    routes.verb(CARD_VERBS.retry, retry);
  },
};
