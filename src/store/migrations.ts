/**
 * Versioned schema migrations, applied at start-up by both adapters. A migration, once released, never
 * changes: add a new version instead. The tables are the same in both dialects; only identity columns and
 * the append-only triggers differ. Over 300 lines because it is the released history: it only ever grows.
 */
import type { SqlExecutor, SqlSession } from './sql';
import { StoreIntegrityError } from './errors';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: Readonly<Record<SqlExecutor['dialect'], string>>;
}

const IDENTITY: Readonly<Record<SqlExecutor['dialect'], string>> = {
  sqlite: 'INTEGER PRIMARY KEY AUTOINCREMENT',
  postgres: 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY',
};

function initialSchema(dialect: SqlExecutor['dialect']): string {
  return `
CREATE TABLE requests (
  seq ${IDENTITY[dialect]},
  policy_key TEXT NOT NULL,
  policy_name TEXT NOT NULL,
  scenario TEXT NOT NULL CHECK (scenario IN ('userDriven', 'automatic')),
  display_name TEXT NOT NULL,
  mail_nickname TEXT NOT NULL,
  unique_name TEXT NOT NULL,
  ticket TEXT,
  justification TEXT,
  requester_id TEXT NOT NULL,
  requester_name TEXT NOT NULL,
  state TEXT NOT NULL
    CHECK (state IN ('pending', 'approved', 'provisioning', 'provisioned', 'failed', 'rejected', 'cancelled')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  decision_kind TEXT CHECK (decision_kind IN ('approved', 'rejected')),
  decided_by_id TEXT,
  decided_by_name TEXT,
  decided_at TEXT,
  decision_reason TEXT,
  group_id TEXT,
  failure_reason TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  CHECK ((decision_kind IS NULL) = (decided_by_id IS NULL) AND (decision_kind IS NULL) = (decided_at IS NULL)),
  CHECK (state <> 'provisioned' OR group_id IS NOT NULL)
);
-- The "one group per policy" rule at the request level: at most one active request per policy key.
CREATE UNIQUE INDEX requests_one_active_per_policy ON requests (policy_key)
  WHERE state IN ('pending', 'approved', 'provisioning', 'provisioned');
CREATE INDEX requests_by_state ON requests (state, seq);
CREATE INDEX requests_by_requester ON requests (requester_id, seq);
CREATE INDEX requests_by_policy ON requests (policy_key, seq);

CREATE TABLE policy_groups (
  policy_key TEXT PRIMARY KEY,
  policy_name TEXT NOT NULL,
  scenario TEXT NOT NULL CHECK (scenario IN ('userDriven', 'automatic')),
  display_name TEXT NOT NULL,
  mail_nickname TEXT NOT NULL,
  unique_name TEXT NOT NULL UNIQUE,
  group_id TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  created_by_id TEXT NOT NULL,
  created_by_name TEXT NOT NULL
);
CREATE INDEX policy_groups_by_name ON policy_groups (policy_name, policy_key);

CREATE TABLE audit_log (
  seq ${IDENTITY[dialect]},
  at TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('requested', 'approved', 'rejected', 'cancelled', 'provisioningStarted',
    'graphCall', 'provisioned', 'failed', 'driftFound', 'denied')),
  actor_id TEXT,
  actor_name TEXT,
  request_id TEXT,
  policy_key TEXT,
  graph_request_id TEXT,
  detail TEXT
);
CREATE INDEX audit_by_request ON audit_log (request_id, seq);
CREATE INDEX audit_by_policy ON audit_log (policy_key, seq);

CREATE TABLE bot_storage (
  key TEXT PRIMARY KEY,
  etag TEXT NOT NULL,
  document TEXT NOT NULL
);

CREATE TABLE personal_conversations (
  aad_object_id TEXT PRIMARY KEY,
  reference TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE approvals_channel (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  reference TEXT NOT NULL,
  registered_by TEXT NOT NULL,
  registered_at TEXT NOT NULL
);

CREATE TABLE approval_cards (
  request_id TEXT NOT NULL,
  activity_id TEXT NOT NULL,
  reference TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  PRIMARY KEY (request_id, activity_id)
);
${APPEND_ONLY_AUDIT[dialect]}`;
}

const APPEND_ONLY_AUDIT: Readonly<Record<SqlExecutor['dialect'], string>> = {
  sqlite: `
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;`,
  postgres: `
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();`,
};

// Version 2: the audit log also records binding a group to its Intune policy.
const AUDIT_KINDS_V2 = `'requested', 'approved', 'rejected', 'cancelled', 'provisioningStarted',
    'graphCall', 'provisioned', 'failed', 'driftFound', 'denied', 'bindRequested', 'bound', 'bindFailed'`;

/** SQLite cannot alter a CHECK constraint: the table is rebuilt (DROP TABLE fires no delete trigger). */
const auditKindsSqlite = (kinds: string): string => `
CREATE TABLE audit_log_v2 (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN (${kinds})),
  actor_id TEXT,
  actor_name TEXT,
  request_id TEXT,
  policy_key TEXT,
  graph_request_id TEXT,
  detail TEXT
);
INSERT INTO audit_log_v2 (seq, at, kind, actor_id, actor_name, request_id, policy_key, graph_request_id, detail)
  SELECT seq, at, kind, actor_id, actor_name, request_id, policy_key, graph_request_id, detail FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_v2 RENAME TO audit_log;
CREATE INDEX audit_by_request ON audit_log (request_id, seq);
CREATE INDEX audit_by_policy ON audit_log (policy_key, seq);
${APPEND_ONLY_AUDIT.sqlite}`;

const auditKindsPostgres = (kinds: string): string => `
ALTER TABLE audit_log DROP CONSTRAINT audit_log_kind_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_kind_check CHECK (kind IN (${kinds}));`;

// Version 3: where a request was submitted (a conversation reference as JSON), to reach requesters in it.
const REQUEST_ORIGIN = 'ALTER TABLE requests ADD COLUMN origin TEXT;';

// Version 4: teams-ai turn state is not kept (nothing of ours lives there), so its botbuilder Storage table
// goes; and the audit log records who registered the approvals channel.
const AUDIT_KINDS_V4 = `${AUDIT_KINDS_V2}, 'approvalsChannelRegistered'`;
const DROP_BOT_STORAGE = 'DROP TABLE bot_storage;';

// Version 5: which Intune policy uses a group once it was bound; restores in the audit log; and every card copy the bot keeps current
// (approval cards, and the requester's own card about the request), keyed by conversation too: message ids
// are only unique within a conversation.
const AUDIT_KINDS_V5 = `${AUDIT_KINDS_V4}, 'groupRestored', 'restoreFailed', 'approversUnreachable'`;
const POLICY_BINDING = `
ALTER TABLE policy_groups ADD COLUMN intune_policy_id TEXT;
ALTER TABLE policy_groups ADD COLUMN bound_at TEXT;
ALTER TABLE policy_groups ADD COLUMN bound_by_id TEXT;
ALTER TABLE policy_groups ADD COLUMN bound_by_name TEXT;`;

const cardCopies = (conversationIdOfReference: string): string => `
CREATE TABLE card_copies (
  request_id TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  activity_id TEXT NOT NULL,
  reference TEXT NOT NULL,
  card_view TEXT NOT NULL CHECK (card_view IN ('approval', 'request')),
  recorded_at TEXT NOT NULL,
  PRIMARY KEY (request_id, conversation_id, activity_id)
);
INSERT INTO card_copies (request_id, conversation_id, activity_id, reference, card_view, recorded_at)
  SELECT request_id, COALESCE(${conversationIdOfReference}, ''), activity_id, reference, 'approval', recorded_at FROM approval_cards;
DROP TABLE approval_cards;`;

// Version 6 (issue 14): every device-preparation policy in the tenant and its one group.
// - intune_policies: a policy's Intune id once seen, and the key it had then (the key of the bot's record), so a
//   rename in Intune does not split it; current_key is what its name is now.
// - policy_groups.adopted: a hand-made group an approver adopted as its policy's one group; such a group may
//   have no uniqueName, so the column becomes nullable (SQLite rebuilds the table to drop NOT NULL).
// - reported_findings: which findings the health watch has already posted (until they clear).
// - health_watch: one row, the conditional write that gives exactly one instance each pass.
const AUDIT_KINDS_V6 = `${AUDIT_KINDS_V5}, 'groupAdopted', 'adoptRefused', 'policyRenamed', 'healthCheckRun', 'healthCheckFailed'`;
const POLICY_GROUP_COLUMNS = `policy_key, policy_name, scenario, display_name, mail_nickname, unique_name, group_id, created_at,
  created_by_id, created_by_name, intune_policy_id, bound_at, bound_by_id, bound_by_name`;
const ADOPTED_SQLITE = `
CREATE TABLE policy_groups_v6 (
  policy_key TEXT PRIMARY KEY,
  policy_name TEXT NOT NULL,
  scenario TEXT NOT NULL CHECK (scenario IN ('userDriven', 'automatic')),
  display_name TEXT NOT NULL,
  mail_nickname TEXT NOT NULL,
  unique_name TEXT UNIQUE,
  group_id TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  created_by_id TEXT NOT NULL,
  created_by_name TEXT NOT NULL,
  intune_policy_id TEXT,
  bound_at TEXT,
  bound_by_id TEXT,
  bound_by_name TEXT,
  adopted INTEGER NOT NULL DEFAULT 0 CHECK (adopted IN (0, 1))
);
INSERT INTO policy_groups_v6 (${POLICY_GROUP_COLUMNS}) SELECT ${POLICY_GROUP_COLUMNS} FROM policy_groups;
DROP TABLE policy_groups;
ALTER TABLE policy_groups_v6 RENAME TO policy_groups;
CREATE INDEX policy_groups_by_name ON policy_groups (policy_name, policy_key);`;
const ADOPTED_POSTGRES = `
ALTER TABLE policy_groups ALTER COLUMN unique_name DROP NOT NULL;
ALTER TABLE policy_groups ADD COLUMN adopted INTEGER NOT NULL DEFAULT 0 CHECK (adopted IN (0, 1));`;
// A provisioned request no longer holds its policy: its group's record does (and a record whose group Entra
// purged gives the policy free for a new request). The index keeps one request in flight per policy.
const IN_FLIGHT_INDEX = `
DROP INDEX requests_one_active_per_policy;
CREATE UNIQUE INDEX requests_one_active_per_policy ON requests (policy_key)
  WHERE state IN ('pending', 'approved', 'provisioning');`;
const INVENTORY_TABLES = `
CREATE TABLE intune_policies (
  policy_id TEXT PRIMARY KEY,
  policy_key TEXT NOT NULL,
  current_name TEXT NOT NULL,
  current_key TEXT NOT NULL,
  scenario TEXT NOT NULL CHECK (scenario IN ('userDriven', 'automatic')),
  first_seen_at TEXT NOT NULL
);
CREATE INDEX intune_policies_by_current_key ON intune_policies (current_key);
CREATE TABLE reported_findings (
  subject TEXT NOT NULL,
  code TEXT NOT NULL,
  detail TEXT NOT NULL,
  reported_at TEXT NOT NULL,
  PRIMARY KEY (subject, code)
);
CREATE TABLE health_watch (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  holder TEXT NOT NULL,
  claimed_at TEXT NOT NULL,
  next_due_at TEXT NOT NULL
);`;

// Version 8: the audit log also records the one-click assignment of an app or script to a policy's device group.
const AUDIT_KINDS_V8 = `${AUDIT_KINDS_V6}, 'assignRequested', 'assigned', 'assignFailed'`;

// Version 9 (issue 19): the claim of the one bind in flight per policy, taken by a conditional write so that two
// approvers clicking Bind at once (on any instances) make one change; cleared when that bind ends.
const BIND_CLAIM = `
ALTER TABLE policy_groups ADD COLUMN bind_claimed_at TEXT;
ALTER TABLE policy_groups ADD COLUMN bind_claimed_by_id TEXT;
ALTER TABLE policy_groups ADD COLUMN bind_claimed_by_name TEXT;`;

// Version 10 (issue 19): replacing a policy's group, in the audit log and in the record (the group it replaced,
// so that a second approver's click is told whose replacement it is).
const AUDIT_KINDS_V10 = `${AUDIT_KINDS_V8}, 'replaceRequested', 'groupReplaced', 'replaceFailed'`;
const REPLACED_GROUP = 'ALTER TABLE policy_groups ADD COLUMN replaced_group_id TEXT;';

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial schema', sql: { sqlite: initialSchema('sqlite'), postgres: initialSchema('postgres') } },
  { version: 2, name: 'audit binding to Intune policies', sql: { sqlite: auditKindsSqlite(AUDIT_KINDS_V2), postgres: auditKindsPostgres(AUDIT_KINDS_V2) } },
  { version: 3, name: 'request origin conversation', sql: { sqlite: REQUEST_ORIGIN, postgres: REQUEST_ORIGIN } },
  {
    version: 4,
    name: 'drop bot storage; audit the approvals channel',
    sql: {
      sqlite: `${DROP_BOT_STORAGE}\n${auditKindsSqlite(AUDIT_KINDS_V4)}`,
      postgres: `${DROP_BOT_STORAGE}\n${auditKindsPostgres(AUDIT_KINDS_V4)}`,
    },
  },
  {
    version: 5,
    name: 'policy binding; card copies; restore audit',
    sql: {
      sqlite: `${POLICY_BINDING}\n${cardCopies("json_extract(reference, '$.conversation.id')")}\n${auditKindsSqlite(AUDIT_KINDS_V5)}`,
      postgres: `${POLICY_BINDING}\n${cardCopies("(reference::json)->'conversation'->>'id'")}\n${auditKindsPostgres(AUDIT_KINDS_V5)}`,
    },
  },
  {
    version: 6,
    name: 'policy identity, adoption, health watch',
    sql: {
      sqlite: `${ADOPTED_SQLITE}\n${INVENTORY_TABLES}\n${auditKindsSqlite(AUDIT_KINDS_V6)}`,
      postgres: `${ADOPTED_POSTGRES}\n${INVENTORY_TABLES}\n${auditKindsPostgres(AUDIT_KINDS_V6)}`,
    },
  },
  { version: 7, name: 'a provisioned request leaves the policy to its record', sql: { sqlite: IN_FLIGHT_INDEX, postgres: IN_FLIGHT_INDEX } },
  { version: 8, name: 'audit assigning apps and scripts to device groups', sql: { sqlite: auditKindsSqlite(AUDIT_KINDS_V8), postgres: auditKindsPostgres(AUDIT_KINDS_V8) } },
  { version: 9, name: 'one bind in flight per policy', sql: { sqlite: BIND_CLAIM, postgres: BIND_CLAIM } },
  {
    version: 10,
    name: 'replacing a group',
    sql: { sqlite: `${REPLACED_GROUP}\n${auditKindsSqlite(AUDIT_KINDS_V10)}`, postgres: `${REPLACED_GROUP}\n${auditKindsPostgres(AUDIT_KINDS_V10)}` },
  },
];

const LIST_TABLES: Readonly<Record<SqlExecutor['dialect'], string>> = {
  sqlite: `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`,
  postgres: `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`,
};

// Serialises instances starting together against one PostgreSQL database (released at commit).
const MIGRATION_LOCK_SQL = `SELECT pg_advisory_xact_lock(hashtext('adgb.schema_migrations'))`;

/**
 * Brings the schema to the newest version in one transaction. Refuses a database that has tables but no
 * migrations table (not ours) or a newer schema than this build knows (a newer release wrote it).
 */
export async function migrate(executor: SqlExecutor, migrations: readonly Migration[] = MIGRATIONS): Promise<number> {
  return executor.transaction(async (session) => {
    if (executor.dialect === 'postgres') await session.query(MIGRATION_LOCK_SQL);
    const current = await currentVersion(session, executor.dialect);
    const newest = migrations.reduce((max, migration) => Math.max(max, migration.version), 0);
    if (current > newest) {
      throw new StoreIntegrityError(
        `The database schema is at version ${current}, newer than this build supports (${newest}). ` +
          'Upgrade the bot rather than running an older release against this database.',
      );
    }
    for (const migration of migrations.filter((m) => m.version > current)) {
      await session.exec(migration.sql[executor.dialect]);
      await session.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        new Date().toISOString(),
      ]);
    }
    return newest;
  });
}

async function currentVersion(session: SqlSession, dialect: SqlExecutor['dialect']): Promise<number> {
  const tables = (await session.query(LIST_TABLES[dialect])).map((row) => String(row['name']));
  if (!tables.includes('schema_migrations')) {
    if (tables.length > 0) {
      throw new StoreIntegrityError(
        `The database is not an autopilot-device-group-bot store: it has tables (${tables.sort().join(', ')}) ` +
          'but no schema_migrations table. Point the bot at an empty database or schema.',
      );
    }
    await session.exec(
      'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    return 0;
  }
  const [row] = await session.query('SELECT MAX(version) AS version FROM schema_migrations');
  return row?.['version'] === null || row?.['version'] === undefined ? 0 : Number(row['version']);
}
