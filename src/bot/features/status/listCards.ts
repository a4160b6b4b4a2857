import type { PolicyGroupRecord } from '../../../domain/policyGroup';
import type { GroupRequest } from '../../../domain/request';
import type { Page } from '../../../domain/page';
import { CARD_VERBS } from '../../verbs';
import { intunePolicyOf } from '../../cards/group';
import { stateLabel } from '../../cards/request';
import { type AdaptiveCard, type CardElement, type ExecuteAction, adaptiveCard, execute, formatTime, heading, plain, text } from '../../cards/elements';

export const GROUPS_PAGE_SIZE = 10;
export const MAX_LISTED_REQUESTS = 20;

export interface RequestListView {
  readonly title: string;
  readonly requests: readonly GroupRequest[];
  readonly empty: string;
  /**
   * `review`: approvers' list, each pending entry with a button that opens its approval card. `own`: the
   * requester's own list, each entry with Details, and Cancel while it is pending.
   */
  readonly kind: 'review' | 'own';
}

function requestEntry(request: GroupRequest, kind: RequestListView['kind']): CardElement {
  const summary = `**${request.id}** · ${plain(request.policyName)} · ${stateLabel(request.state)}`;
  const detail = kind === 'own' ? `Requested at ${formatTime(request.createdAt)}` : `Requested by ${plain(request.requester.name)} at ${formatTime(request.createdAt)}`;
  const items: CardElement[] = [text(summary), text(detail, { isSubtle: true, spacing: 'None' })];
  const actions = entryActions(request, kind);
  if (actions.length > 0) items.push({ type: 'ActionSet', actions });
  return { type: 'Container', separator: true, items };
}

function entryActions(request: GroupRequest, kind: RequestListView['kind']): ExecuteAction[] {
  const data = { requestId: request.id };
  if (kind === 'review') return request.state === 'pending' ? [execute('Review', CARD_VERBS.refreshApproval, data)] : [];
  return [
    execute('Details', CARD_VERBS.showRequest, data),
    ...(request.state === 'pending' ? [execute('Cancel', CARD_VERBS.cancelRequest, data, { style: 'destructive' })] : []),
  ];
}

/** `mine` and `pending`: newest first, at most MAX_LISTED_REQUESTS. */
export function requestListCard(view: RequestListView): AdaptiveCard {
  const shown = view.requests.slice(0, MAX_LISTED_REQUESTS);
  const body: CardElement[] = [heading(view.title)];
  if (shown.length === 0) body.push(text(view.empty));
  body.push(...shown.map((r) => requestEntry(r, view.kind)));
  if (view.requests.length > shown.length) {
    body.push(text(`…and ${view.requests.length - shown.length} more.`, { isSubtle: true }));
  }
  return adaptiveCard(body);
}

/** `groups`: every policy → group, a page at a time. */
export function groupsCard(page: Page<PolicyGroupRecord>, pageSize: number = GROUPS_PAGE_SIZE): AdaptiveCard {
  const body: CardElement[] = [heading('Device groups by policy')];
  if (page.total === 0) body.push(text('No group has been created yet.'));
  else if (page.items.length === 0) body.push(text('No groups on this page.'));
  for (const group of page.items) {
    body.push({
      type: 'Container',
      separator: true,
      items: [
        text(`**${plain(group.policyName)}** → ${plain(group.displayName)}`),
        text(`Object id ${group.groupId} · created ${formatTime(group.createdAt)}`, { isSubtle: true, spacing: 'None' }),
        text(`Intune policy: ${intunePolicyOf(group)}`, { isSubtle: true, spacing: 'None' }),
      ],
    });
  }
  if (page.items.length > 0) {
    const last = Math.min(page.offset + page.items.length, page.total);
    body.push(text(`${page.offset + 1}–${last} of ${page.total}`, { isSubtle: true }));
  }
  const actions: ExecuteAction[] = [];
  if (page.offset > 0) {
    actions.push(execute('Previous', CARD_VERBS.groupsPage, { offset: Math.max(0, page.offset - pageSize) }));
  }
  if (page.offset + page.items.length < page.total) {
    actions.push(execute('Next', CARD_VERBS.groupsPage, { offset: page.offset + pageSize }));
  }
  return adaptiveCard(body, { actions });
}
