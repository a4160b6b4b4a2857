/**
 * The SQL store: one adapter that implements the ports of every consumer — the requests service's
 * repository, audit log, policy→group catalogue and approvals channel, provisioning's group registry and the
 * bot's conversation store — over SQLite (default) or PostgreSQL (several instances). Only the composition
 * root holds the whole; each consumer is handed its own port. The invariants live in the database (unique
 * indexes, conditional updates, triggers), never in read-then-write application code.
 */
import type { ConversationStore } from '../bot/ports';
import type { InventoryRecords } from '../inventory/types';
import type { PolicyGroupRegistry } from '../provisioning/types';
import type { RequestsStore } from '../requests/ports';

export interface Store extends RequestsStore, PolicyGroupRegistry, ConversationStore, InventoryRecords {
  /** Readiness: throws when the database cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
