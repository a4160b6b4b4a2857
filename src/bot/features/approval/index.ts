/** Approval: the approval card's buttons, and (notifier.ts) the proactive side that posts and updates it. */
import type { Feature } from '../../routes';
import { VERBS } from '../../verbs';
import { approve } from './approve';
import { refreshApproval } from './refreshApproval';
import { reject } from './reject';
import { retry } from './retry';

export const approvalFeature: Feature = {
  name: 'approval',
  register(routes) {
    routes.verb(VERBS.refreshApproval, refreshApproval);
    routes.verb(VERBS.approve, approve);
    routes.verb(VERBS.reject, reject);
    routes.verb(VERBS.retry, retry);
  },
};
