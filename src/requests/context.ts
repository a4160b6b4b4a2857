/**
 * What every part of the requests service shares: the store, the clock, the logger, the notifier and the
 * audit of refusals. Built once per service; never module state.
 */
import type { Actor } from '../domain/actor';
import type { GroupRequest } from '../domain/request';
import { type Clock, systemClock } from '../shared/clock';
import { type Logger, silentLogger } from '../shared/logger';
import type { AuditEntryInput, AuditKind, Delivery, RequestEvent, RequestEventKind, RequestNotifier, RequestsStore } from './ports';

export interface ServiceContext {
  readonly store: RequestsStore;
  readonly logger: Logger;
  now(): string;
  /** Milliseconds since the epoch, from the same clock. */
  nowMs(): number;
  /** Tells the notifier after a committed transition; a lost notification never undoes or fails it. */
  notify(kind: RequestEventKind, request: GroupRequest, actor?: Actor, about?: Pick<RequestEvent, 'policyInIntune'>): Promise<Delivery>;
  auditOf(kind: AuditKind, request: GroupRequest, actor?: Actor, detail?: string): AuditEntryInput;
  /** Audits a refusal: `attempt` names what was tried, `reason` why it was refused. */
  recordDenial(denial: Denial): Promise<void>;
}

export interface Denial {
  readonly attempt: string;
  readonly reason: string;
  readonly actor?: Actor;
  readonly requestId?: string;
  readonly policyKey?: string;
}

export interface ServiceContextDeps {
  readonly store: RequestsStore;
  readonly notifier?: RequestNotifier;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export function createServiceContext(deps: ServiceContextDeps): ServiceContext {
  const { store, notifier } = deps;
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  const now = (): string => clock.now().toISOString();

  return {
    store,
    logger,
    now,
    nowMs: () => clock.now().getTime(),

    async notify(kind, request, actor, about = {}) {
      if (!notifier) return {};
      try {
        return await notifier.notify({ kind, request, ...(actor && { actor }), ...about });
      } catch (error) {
        logger.warn({ err: error, requestId: request.id, event: kind }, 'request notification failed');
        return {};
      }
    },

    auditOf(kind, request, actor, detail) {
      return {
        kind,
        at: now(),
        requestId: request.id,
        policyKey: request.policyKey,
        ...(actor && { actor }),
        ...(detail !== undefined && { detail }),
      };
    },

    async recordDenial({ attempt, reason, actor, requestId, policyKey }) {
      const detail = `${attempt}: ${reason}`;
      logger.warn({ actor: actor?.aadObjectId, requestId, policyKey, detail }, 'denied');
      await store.appendAudit({
        kind: 'denied',
        at: now(),
        ...(actor && { actor }),
        ...(requestId !== undefined && { requestId }),
        ...(policyKey !== undefined && { policyKey }),
        detail,
      });
    },
  };
}
