/** Requesting a group: the `request` command and the form's buttons (open, preview, submit). */
import type { Feature } from '../../routes';
import { CARD_VERBS } from '../../verbs';
import { openRequestForm } from './openRequestForm';
import { previewRequest } from './previewRequest';
import { refreshRequest } from './refreshRequest';
import { REQUEST_COMMAND, handleRequestCommand } from './requestCommand';
import { submitRequest } from './submitRequest';

export const requestFeature: Feature = {
  name: 'request',
  register(routes) {
    routes.command(REQUEST_COMMAND, handleRequestCommand);
    routes.verb(CARD_VERBS.openRequestForm, openRequestForm);
    routes.verb(CARD_VERBS.previewRequest, previewRequest);
    routes.verb(CARD_VERBS.submitRequest, submitRequest);
    routes.verb(CARD_VERBS.refreshRequest, refreshRequest);
  },
};
