/**
 * Database rows → domain objects, parsed with zod at the edge. A row that does not parse is foreign or
 * corrupt data: it raises a StoreIntegrityError naming the table, the row and the problem, never a
 * half-built object.
 */
import { z } from 'zod';
import { SCENARIOS } from '../domain/scenario';
import { formatRequestId } from '../domain/request';
import type { PolicyGroupRecord } from '../domain/policyGroup';
import { REQUEST_STATES, type ConversationAddress, type GroupRequest } from '../domain/request';
import { AUDIT_KINDS, type AuditEntry, type FindingSubject, type ReportedFinding } from '../requests/ports';
import type { FindingCode, KnownPolicy } from '../inventory/types';
import { StoreIntegrityError } from './errors';
import type { SqlValue } from './sql';

// PostgreSQL returns BIGINT as a string; SQLite as a number.
const sequence = z.coerce.number().int().positive();
const text = z.string();
// NULL is an absent optional field, which the mappers below leave out. Not a zod transform per column: those
// made a request row's parse about 4× slower, and every status turn parses one.
const nullableText = z.string().nullable();

// The policy and its group names: the same columns in `requests` and `policy_groups`.
const policyColumns = {
  policy_key: text,
  policy_name: text,
  scenario: z.enum(SCENARIOS),
  display_name: text,
  mail_nickname: text,
  unique_name: text,
};

/** A JSON object column (conversation references). */
const jsonObject = z.string().transform((raw, context) => {
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    context.addIssue({ code: z.ZodIssueCode.custom, message: 'is JSON but not an object' });
  } catch {
    context.addIssue({ code: z.ZodIssueCode.custom, message: 'is not valid JSON' });
  }
  return z.NEVER;
});

// A request's origin: a conversation reference as Teams sent it. Teams at times leaves out names and
// `isGroup`, which botbuilder's types require; nothing reads them to send, so they default to empty / false.
const originAccount = z.object({ id: text, name: z.string().default(''), aadObjectId: z.string().optional() });
const requestOrigin: z.ZodType<ConversationAddress, z.ZodTypeDef, unknown> = z.object({
  channelId: z.string().optional(),
  serviceUrl: z.string().optional(),
  locale: z.string().optional(),
  conversation: z
    .object({
      id: text,
      name: z.string().default(''),
      conversationType: z.string().default(''),
      isGroup: z.boolean().default(false),
      tenantId: z.string().optional(),
    })
    .optional(),
  user: originAccount.optional(),
  bot: originAccount.optional(),
});

const requestRow = z.object({
  seq: sequence,
  ...policyColumns,
  ticket: nullableText,
  justification: nullableText,
  requester_id: text,
  requester_name: text,
  state: z.enum(REQUEST_STATES),
  created_at: text,
  updated_at: text,
  decision_kind: z.enum(['approved', 'rejected']).nullable(),
  decided_by_id: z.string().nullable(),
  decided_by_name: z.string().nullable(),
  decided_at: z.string().nullable(),
  decision_reason: nullableText,
  group_id: nullableText,
  failure_reason: nullableText,
  origin: jsonObject.pipe(requestOrigin).nullable(),
  version: z.coerce.number().int().positive(),
});

const policyGroupRow = z.object({
  ...policyColumns,
  unique_name: nullableText,
  adopted: z.coerce.number().int().min(0).max(1),
  group_id: text,
  created_at: text,
  created_by_id: text,
  created_by_name: text,
  intune_policy_id: nullableText,
  bound_at: nullableText,
  bound_by_id: nullableText,
  bound_by_name: nullableText,
  replaced_group_id: nullableText,
});

const auditRow = z.object({
  seq: sequence,
  at: text,
  kind: z.enum(AUDIT_KINDS),
  actor_id: z.string().nullable(),
  actor_name: z.string().nullable(),
  request_id: nullableText,
  policy_key: nullableText,
  graph_request_id: nullableText,
  detail: nullableText,
});

function parseRow<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, row: unknown, where: string): T {
  const parsed = schema.safeParse(row);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'row'}: ${issue.message}`);
  throw new StoreIntegrityError(`Unreadable ${where}: ${problems.join('; ')}.`);
}

function describeRow(table: string, row: unknown, keyColumn: string): string {
  const key = typeof row === 'object' && row !== null ? (row as Record<string, unknown>)[keyColumn] : undefined;
  return `${table} row ${keyColumn}=${String(key)}`;
}

export function toGroupRequest(row: unknown): GroupRequest {
  const r = parseRow(requestRow, row, describeRow('requests', row, 'seq'));
  const decision =
    r.decision_kind && r.decided_by_id !== null && r.decided_by_name !== null && r.decided_at !== null
      ? {
          kind: r.decision_kind,
          by: { aadObjectId: r.decided_by_id, name: r.decided_by_name },
          at: r.decided_at,
          ...(r.decision_reason !== null && { reason: r.decision_reason }),
        }
      : undefined;
  return {
    id: formatRequestId(r.seq),
    policyKey: r.policy_key,
    policyName: r.policy_name,
    scenario: r.scenario,
    names: { displayName: r.display_name, mailNickname: r.mail_nickname, uniqueName: r.unique_name },
    ...(r.ticket !== null && { ticket: r.ticket }),
    ...(r.justification !== null && { justification: r.justification }),
    requester: { aadObjectId: r.requester_id, name: r.requester_name },
    state: r.state,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    ...(decision && { decision }),
    ...(r.group_id !== null && { groupId: r.group_id }),
    ...(r.failure_reason !== null && { failureReason: r.failure_reason }),
    ...(r.origin !== null && { origin: r.origin }),
    version: r.version,
  };
}

export function toPolicyGroupRecord(row: unknown): PolicyGroupRecord {
  const r = parseRow(policyGroupRow, row, describeRow('policy_groups', row, 'policy_key'));
  return {
    policyKey: r.policy_key,
    policyName: r.policy_name,
    scenario: r.scenario,
    displayName: r.display_name,
    mailNickname: r.mail_nickname,
    uniqueName: r.unique_name,
    groupId: r.group_id,
    createdAt: r.created_at,
    createdBy: { aadObjectId: r.created_by_id, name: r.created_by_name },
    ...(r.adopted === 1 && { adopted: true }),
    ...(r.replaced_group_id !== null && { replacedGroupId: r.replaced_group_id }),
    ...(r.intune_policy_id !== null &&
      r.bound_at !== null && {
        binding: { intunePolicyId: r.intune_policy_id, at: r.bound_at, by: { aadObjectId: r.bound_by_id ?? '', name: r.bound_by_name ?? '' } },
      }),
  };
}

/** Where a policy's bind claim stands: the record's group and binding, and the claim held (if any). */
const bindClaimRow = z.object({
  group_id: text,
  bound_at: nullableText,
  bind_claimed_at: nullableText,
  bind_claimed_by_id: nullableText,
  bind_claimed_by_name: nullableText,
});

export function toBindClaimState(row: unknown): z.infer<typeof bindClaimRow> {
  return parseRow(bindClaimRow, row, describeRow('policy_groups', row, 'policy_key'));
}

export function toAuditEntry(row: unknown): AuditEntry {
  const r = parseRow(auditRow, row, describeRow('audit_log', row, 'seq'));
  return {
    sequence: r.seq,
    at: r.at,
    kind: r.kind,
    ...(r.actor_id !== null && { actor: { aadObjectId: r.actor_id, name: r.actor_name ?? '' } }),
    ...(r.request_id !== null && { requestId: r.request_id }),
    ...(r.policy_key !== null && { policyKey: r.policy_key }),
    ...(r.graph_request_id !== null && { graphRequestId: r.graph_request_id }),
    ...(r.detail !== null && { detail: r.detail }),
  };
}

export function parseConversationReference(raw: unknown, table: string, key: string): ConversationAddress {
  // Written by us from botbuilder's own object; we check it is a JSON object and trust its fields' shape
  // (fields beyond ConversationAddress's, which the Bot Connector may want back, are kept).
  return parseRow(jsonObject, raw, `${table}.reference of ${key}`);
}

export function parseCardView(raw: unknown, requestId: string): 'approval' | 'request' {
  return parseRow(z.enum(['approval', 'request']), raw, `card_copies.card_view of ${requestId}`);
}

const knownPolicyRow = z.object({ policy_id: text, policy_key: text, current_name: text, scenario: z.enum(SCENARIOS) });

export function toKnownPolicy(row: unknown): KnownPolicy {
  const r = parseRow(knownPolicyRow, row, describeRow('intune_policies', row, 'policy_id'));
  return { policyId: r.policy_id, policyKey: r.policy_key, currentName: r.current_name, scenario: r.scenario };
}

// Every finding code, the compiler holding it to the inventory's FindingCode both ways (none missing, none extra).
const FINDING_CODES = {
  securityGroupNotFound: true,
  notSecurityGroup: true,
  notStaticSecurityGroup: true,
  firstPartyAppNotAnOwner: true,
  mailEnabled: true,
  roleAssignable: true,
  noGroup: true,
  sharedGroup: true,
  notRecorded: true,
  recordedGroupDiffers: true,
  orphanGroup: true,
  unexpectedMembers: true,
  unreadable: true,
  appNotAssignedToGroup: true,
  scriptNotAssignedToGroup: true,
  appNotSystemContext: true,
  scriptNotSystemContext: true,
  appNotFound: true,
  scriptNotFound: true,
  tooManyApps: true,
  tooManyScripts: true,
  policyNotAssigned: true,
  unknownAppType: true,
} as const satisfies Record<FindingCode, true>;
const findingCode = z.enum(Object.keys(FINDING_CODES) as [FindingCode, ...FindingCode[]]);

// `reported_findings.subject` is the policy id, or `group:<id>` for a group whose policy is not in Intune.
const GROUP_SUBJECT = 'group:';
const reportedFindingRow = z.object({ subject: text, code: findingCode, detail: text, reported_at: text });

export function findingSubjectText(subject: FindingSubject): string {
  return subject.kind === 'policy' ? subject.policyId : `${GROUP_SUBJECT}${subject.groupId}`;
}

function findingSubjectOf(text: string): FindingSubject {
  return text.startsWith(GROUP_SUBJECT) ? { kind: 'group', groupId: text.slice(GROUP_SUBJECT.length) } : { kind: 'policy', policyId: text };
}

export function toReportedFinding(row: unknown): ReportedFinding {
  const r = parseRow(reportedFindingRow, row, describeRow('reported_findings', row, 'subject'));
  return { subject: findingSubjectOf(r.subject), code: r.code, detail: r.detail, reportedAt: r.reported_at };
}

/** A policy→group record as the values of `policy_groups`' first ten columns, in their order (for INSERT). */
export function policyGroupValues(record: PolicyGroupRecord): SqlValue[] {
  return [
    record.policyKey,
    record.policyName,
    record.scenario,
    record.displayName,
    record.mailNickname,
    record.uniqueName,
    record.groupId,
    record.createdAt,
    record.createdBy.aadObjectId,
    record.createdBy.name,
  ];
}
