/** A requests service over a real store (SQLite or PostgreSQL) with the provisioning double. */
import type { Actor } from '../../../src/domain/actor';
import { createRequestsService, type RequestsServiceDeps } from '../../../src/requests/service';
import type { RequestsService } from '../../../src/requests/types';
import type { ApproverDirectory, RequestEvent } from '../../../src/requests/ports';
import type { Store } from '../../../src/store';
import type { Clock } from '../../../src/shared/clock';
import { createFakeProvisioning, type FakeProvisioning } from './fakeProvisioning';
import { createFakeTenant, type FakeTenant } from './fakeTenant';

export const helpdesk: Actor = { aadObjectId: '11111111-1111-1111-1111-111111111111', name: 'Hana Helpdesk' };
export const approver: Actor = { aadObjectId: '22222222-2222-2222-2222-222222222222', name: 'Aki Approver' };
export const otherApprover: Actor = { aadObjectId: '33333333-3333-3333-3333-333333333333', name: 'Omar Approver' };

export function approverIds(...actors: Actor[]): ApproverDirectory {
  const ids = new Set(actors.map((actor) => actor.aadObjectId));
  return { isApprover: async (actor) => ids.has(actor.aadObjectId), listApprovers: async () => [...ids] };
}

export interface World {
  readonly service: RequestsService;
  readonly provisioning: FakeProvisioning;
  /** What Intune says; empty until a test adds policies (the normal order: the group comes first). */
  readonly tenant: FakeTenant;
  readonly events: RequestEvent[];
  /** Moves the clock on. */
  advance(ms: number): void;
}

export function createWorld(store: Store, overrides: Partial<RequestsServiceDeps> = {}): World {
  let time = Date.parse('2026-03-01T09:00:00.000Z');
  const clock: Clock = { now: () => new Date(time) };
  const provisioning = createFakeProvisioning(store, clock);
  const tenant = createFakeTenant();
  const events: RequestEvent[] = [];
  const service = createRequestsService({
    store,
    provisioning,
    tenant,
    approvers: approverIds(approver, otherApprover),
    notifier: { notify: async (event) => (events.push(event), { approversReached: 1 }) },
    clock,
    resumeAfterMs: 0,
    ...overrides,
  });
  return { service, provisioning, tenant, events, advance: (ms) => void (time += ms) };
}
