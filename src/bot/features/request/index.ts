/** Requesting a group: the `request` command, the form's buttons (open, preview, submit) and its policy typeahead. */
import type { Feature } from '../../routes';
import { CARD_VERBS } from '../../verbs';
import { openRequestForm } from './openRequestForm';
import { previewRequest } from './previewRequest';
import { refreshRequest } from './refreshRequest';
import { REQUEST_COMMAND, handleRequestCommand } from './requestCommand';
import { submitRequest } from './submitRequest';
import { INTUNE_POLICIES_DATASET, searchIntunePolicies } from './searchPolicies';

export const requestFeature: Feature = {
  name: 'request',
  register(routes) {
    routes.command(REQUEST_COMMAND, handleRequestCommand);
    routes.verb(CARD_VERBS.openRequestForm, openRequestForm);
    routes.verb(CARD_VERBS.previewRequest, previewRequest);
    routes.verb(CARD_VERBS.submitRequest, submitRequest);
    routes.verb(CARD_VERBS.refreshRequest, refreshRequest);
    routes.search(INTUNE_POLICIES_DATASET, searchIntunePolicies);
  },
};
