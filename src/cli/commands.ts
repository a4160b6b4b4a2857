/**
 * What the admin CLI's commands do, over the same store and services as the bot. Each returns the process
 * exit code; output goes through {@link CliOutput} so tests read it back in-process.
 */
import type { Actor } from '../domain/actor';
import type { DriftReport } from '../provisioning/types';
import type { PolicyGroupRecord } from '../domain/policyGroup';
import type { RequestsService } from '../requests/types';
import type { PolicyInventoryEntry } from '../inventory/types';
import type { AuditLog, PolicyGroupCatalogue } from '../requests/ports';
import type { CliCommand } from './args';
import { auditToCsv } from './csv';
import { type Column, type Layout, SHORT_ID_LENGTH, renderTable, shownId, wrapped } from './table';

export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
  /** stdout's width when it is a terminal: tables are fitted to it. */
  readonly columns?: number;
  /** stderr is a terminal, so a person reads it: log lines become short sentences, warnings and errors only. */
  readonly interactive?: boolean;
}

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_DRIFT = 2;

/** The name every CLI action is audited under; the object id is the `--as` one, or empty when not given. */
const CLI_ACTOR_NAME = 'admin CLI';

const GROUP_PAGE_SIZE = 100;

type AuditExport = Extract<CliCommand, { kind: 'auditExport' }>;

/** The audit CSV for the command's filters, all applied by the store. */
export async function auditCsv(audit: Pick<AuditLog, 'listAudit'>, command: AuditExport): Promise<{ readonly csv: string; readonly entries: number }> {
  const { requestId, since, until } = command;
  const entries = await audit.listAudit({ requestId, since, until });
  return { csv: auditToCsv(entries), entries: entries.length };
}

/** Every recorded policy→group record, page by page, ordered by policy name. */
export async function allGroups(catalogue: Pick<PolicyGroupCatalogue, 'listGroups'>): Promise<readonly PolicyGroupRecord[]> {
  const groups: PolicyGroupRecord[] = [];
  for (;;) {
    const page = await catalogue.listGroups(groups.length, GROUP_PAGE_SIZE);
    groups.push(...page.items);
    if (page.items.length === 0 || groups.length >= page.total) return groups;
  }
}

const GROUP_COLUMNS: readonly Column<PolicyGroupRecord>[] = [
  { title: 'POLICY', value: (group) => group.policyName, cuttable: true },
  { title: 'SCENARIO', value: (group) => group.scenario },
  { title: 'GROUP ID', value: (group) => group.groupId, shorten: 'id' },
  { title: 'DISPLAY NAME', value: (group) => group.displayName, cuttable: true },
  { title: 'CREATED', value: (group) => group.createdAt, shorten: 'time' },
  { title: 'CREATED BY', value: (group) => group.createdBy.name || group.createdBy.aadObjectId, cuttable: true },
];

export function groupsTable(groups: readonly PolicyGroupRecord[], layout: Layout): string {
  if (groups.length === 0) return 'No groups recorded yet.\n';
  return renderTable(GROUP_COLUMNS, groups, layout) + shortenedNote(layout);
}

/** Said under a table whose ids are shortened, so nobody copies a shortened one. */
function shortenedNote(layout: Layout): string {
  return layout.wide ? '' : wrapped(`Object ids are shortened to their first ${SHORT_ID_LENGTH} characters; --wide shows them whole, --json as records.`, '', layout);
}

export function cliActor(as: string | undefined, osUser: string | undefined): Actor {
  return { aadObjectId: as ?? '', name: osUser ? `${CLI_ACTOR_NAME} (${osUser})` : CLI_ACTOR_NAME };
}

export interface CheckAllDeps {
  readonly catalogue: Pick<PolicyGroupCatalogue, 'listGroups'>;
  readonly requests: Pick<RequestsService, 'checkPolicy'>;
}

/**
 * The bot's `check` for every recorded group, through the requests service, so drift is audited exactly as
 * the bot audits it (driftFound) and only an approver's repair changes anything. One line per group.
 */
export async function checkAll(deps: CheckAllDeps, actor: Actor, repairOwner: boolean, output: CliOutput, layout: Layout): Promise<number> {
  const groups = await allGroups(deps.catalogue);
  if (groups.length === 0) {
    output.out('No groups recorded yet; nothing to check.\n');
    return EXIT_OK;
  }
  const tally = { healthy: 0, drift: 0, errors: 0 };
  let repairRefusalTold = false;
  for (const group of groups) {
    try {
      const result = await deps.requests.checkPolicy(group.policyName, actor, { repairOwner });
      if (result.kind !== 'checked') throw new Error(result.kind === 'invalid' ? result.message : 'its group is no longer recorded');
      if (result.repairRefused !== undefined && !repairRefusalTold) {
        // The service refuses (and audits) the repair for every policy; say so once.
        output.err(`${actor.aadObjectId} is not an approver (APPROVER_IDS / APPROVER_GROUP_ID): checking without repairing; the refusal is audited.\n`);
        repairRefusalTold = true;
      }
      output.out(`${reportLine(group, result.report, layout)}\n`);
      if (result.report.healthy) tally.healthy += 1;
      else tally.drift += 1;
    } catch (error) {
      tally.errors += 1;
      output.out(`${columns('error', group, layout)}  ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  output.out(
    `${groups.length} group${groups.length === 1 ? '' : 's'} checked: ${tally.healthy} healthy, ${tally.drift} with drift` +
      `${tally.errors > 0 ? `, ${tally.errors} could not be checked` : ''}.\n`,
  );
  if (tally.errors > 0) return EXIT_ERROR;
  return tally.drift > 0 ? EXIT_DRIFT : EXIT_OK;
}

function reportLine(group: PolicyGroupRecord, report: DriftReport, layout: Layout): string {
  const repaired = report.ownerRepaired ? '  (owner re-added)' : '';
  if (report.healthy) return `${columns('ok', group, layout)}${repaired}`;
  return `${columns('drift', group, layout)}  ${report.findings.map((finding) => finding.code).join(', ')}${repaired}`;
}

function columns(status: string, group: PolicyGroupRecord, layout: Layout): string {
  return `${status.padEnd(5)}  ${group.policyName}  ${shownId(group.groupId, layout)}`;
}

/** The `policies --json` shape the issue fixes: nothing more, so scripts can rely on it. */
export function policiesJson(entries: readonly PolicyInventoryEntry[]): string {
  const shaped = entries.map(({ policyId, policyName, scenario, groupId, groupSource, findings }) => ({
    policyId,
    policyName,
    scenario,
    groupId,
    groupSource,
    findings: findings.map(({ code, detail }) => ({ code, detail })),
  }));
  return `${JSON.stringify(shaped, null, 2)}\n`;
}

const POLICY_COLUMNS: readonly Column<PolicyInventoryEntry>[] = [
  { title: 'STATE', value: (entry) => (entry.findings.length > 0 ? 'issue' : 'ok') },
  { title: 'POLICY', value: (entry) => entry.policyName, cuttable: true },
  { title: 'POLICY ID', value: (entry) => entry.policyId ?? '(not in Intune)', shorten: 'id' },
  { title: 'SCENARIO', value: (entry) => entry.scenario ?? '?' },
  { title: 'GROUP ID', value: (entry) => entry.groupId ?? 'none', shorten: 'id' },
  { title: 'GROUP FROM', value: (entry) => entry.groupSource },
];
const FINDING_INDENT = '       ';

/** A table row per policy, each followed by its findings, one indented sentence each (wrapped, never cut). */
export function policiesText(entries: readonly PolicyInventoryEntry[], layout: Layout): string {
  if (entries.length === 0) return 'Intune has no device-preparation policies, and the bot has made no groups.\n';
  const [header, ...rows] = renderTable(POLICY_COLUMNS, entries, layout).split(/(?<=\n)/);
  const blocks = entries.map((entry, index) => rows[index] + entry.findings.map((finding) => wrapped(`${finding.code}: ${finding.detail}`, FINDING_INDENT, layout)).join(''));
  const withFindings = entries.filter((entry) => entry.findings.length > 0).length;
  return `${header}${blocks.join('')}${entries.length} polic${entries.length === 1 ? 'y' : 'ies'}: ${entries.length - withFindings} healthy, ${withFindings} with findings.\n${shortenedNote(layout)}`;
}

export function policiesExitCode(entries: readonly PolicyInventoryEntry[]): number {
  return entries.some((entry) => entry.findings.length > 0) ? EXIT_DRIFT : EXIT_OK;
}

export async function adopt(requests: Pick<RequestsService, 'adoptGroup'>, policyId: string, actor: Actor, output: CliOutput): Promise<number> {
  const result = await requests.adoptGroup(policyId, actor);
  switch (result.kind) {
    case 'adopted':
      output.out(`Adopted: the group ${result.group.groupId} ("${result.group.displayName}") is now the one group of "${result.group.policyName}".\n`);
      return EXIT_OK;
    case 'refused':
      output.err(`Not adopted: ${result.reason}\n`);
      return EXIT_DRIFT;
    case 'notFound':
      output.err(`Intune has no device-preparation policy with the id ${policyId}.\n`);
      return EXIT_ERROR;
    case 'forbidden':
      output.err(`${actor.aadObjectId} is not an approver (APPROVER_IDS / APPROVER_GROUP_ID); the refusal is audited.\n`);
      return EXIT_ERROR;
  }
}
