/**
 * The admin CLI's command line, parsed once into a command the rest of the CLI can trust. Anything it does
 * not understand is a {@link UsageError} naming what was wrong, never a guess.
 */
import { GUID } from '../app/config';
import { normaliseRequestId } from '../domain/request';

export type CliCommand =
  | { readonly kind: 'help' }
  | {
      readonly kind: 'auditExport';
      /** Inclusive, as a UTC ISO-8601 instant (the form the audit log stores). */
      readonly since?: string;
      /** Exclusive, as a UTC ISO-8601 instant. */
      readonly until?: string;
      readonly requestId?: string;
      /** A file to write instead of stdout. */
      readonly out?: string;
    }
  | ({ readonly kind: 'groups' } & OutputForm)
  | ({ readonly kind: 'check'; readonly repairOwner: boolean; readonly as?: string } & Pick<OutputForm, 'wide'>)
  | ({ readonly kind: 'policies' } & OutputForm)
  | { readonly kind: 'adopt'; readonly policyId: string; readonly as: string };

/** How a listing is printed: a table that fits the terminal (ids shortened), the whole values, or JSON. */
export interface OutputForm {
  readonly json: boolean;
  readonly wide: boolean;
}

/** A command line and the options every command takes. */
export interface CommandLine {
  readonly command: CliCommand;
  /** `--sandbox`: run with the settings `npm start` gave the sandbox bot. */
  readonly sandbox: boolean;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `Usage: npm run -s admin -- [--sandbox] <command> [options]   (-s keeps npm's banner out of stdout)

  --sandbox   run against the sandbox npm start runs (its database, Graph emulator and approvers, read from
              data/sandbox-settings.json, or SANDBOX_DATA_DIR's); otherwise the environment below is used.

Commands:
  audit export [--since ISO] [--until ISO] [--request REQ-n] [--out file.csv]
      The audit log as CSV (RFC 4180, header row, in log order), on stdout unless --out is given.
      --since is inclusive, --until exclusive; a date (2026-11-01) means its midnight UTC, a date-time
      needs a time zone (2026-11-01T08:00:00Z or 2026-11-01T09:00:00+01:00).
  groups [--json | --wide]
      Every policy and the device group recorded for it, as a table or as JSON. Tables fit the terminal:
      object ids are shortened to their first 8 characters and long names cut; --wide prints them whole.
  check --all [--as <aadObjectId>] [--repair-owner] [--wide]
      Drift check of every recorded group through Microsoft Graph, one line per group; drift is audited
      as driftFound by "admin CLI". --repair-owner re-adds the Intune Provisioning Client as owner where
      it is missing; it needs --as, the Entra object id of an approver, so the repair is attributable.
      Exit code 0: every group healthy; 2: drift found; 1: error.
  policies [--json | --wide]
      Every device-preparation policy in the tenant (both templates), the group it uses and what is wrong
      with it, problems first (ids shortened unless --wide; adopt needs the whole id). --json prints an array of { policyId, policyName, scenario, groupId,
      groupSource, findings: [{ code, detail }] }. Exit code 0: all healthy; 2: findings; 1: error.
  policies adopt <policyId> --as <aadObjectId>
      Record the policy's correct hand-made group as its one group, as the approver --as (audited); a
      broken group is refused with what to fix first. Exit code 0: adopted; 2: refused; 1: error.
  help
      This text.

The CLI reads the same environment as the bot (APP_MODE, DATABASE_URL or SQLITE_PATH, GRAPH_*, APPROVER_*);
audit export and groups need only the database settings.
`;

type FlagKind = 'value' | 'switch';
type FlagSpec = Readonly<Record<string, FlagKind>>;
type ParsedFlags = ReadonlyMap<string, string | true>;

export function parseCommandLine(argv: readonly string[]): CommandLine {
  const sandboxFlags = argv.filter((argument) => argument === SANDBOX_FLAG).length;
  if (sandboxFlags > 1) throw new UsageError(`${SANDBOX_FLAG} is given more than once`);
  return { command: parseCommand(argv.filter((argument) => argument !== SANDBOX_FLAG)), sandbox: sandboxFlags === 1 };
}

const SANDBOX_FLAG = '--sandbox';

function parseCommand(argv: readonly string[]): CliCommand {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      noExtraArguments(command ?? 'help', rest);
      return { kind: 'help' };
    case 'audit':
      return parseAudit(rest);
    case 'groups':
      return { kind: 'groups', ...outputForm('groups', parseFlags('groups', rest, { '--json': 'switch', '--wide': 'switch' })) };
    case 'check':
      return parseCheck(rest);
    case 'policies':
      return parsePolicies(rest);
    default:
      throw new UsageError(`unknown command "${command}"; the commands are audit export, groups, check, policies, help`);
  }
}

function parseAudit(argv: readonly string[]): CliCommand {
  const [subcommand, ...rest] = argv;
  if (subcommand !== 'export') {
    throw new UsageError(subcommand === undefined ? 'audit needs a subcommand: audit export' : `unknown subcommand "audit ${subcommand}"; did you mean audit export?`);
  }
  const flags = parseFlags('audit export', rest, { '--since': 'value', '--until': 'value', '--request': 'value', '--out': 'value' });
  const since = optionalValue(flags, '--since', (raw) => instantOf('--since', raw));
  const until = optionalValue(flags, '--until', (raw) => instantOf('--until', raw));
  if (since !== undefined && until !== undefined && since >= until) {
    throw new UsageError(`--since (${since}) must be before --until (${until})`);
  }
  const requestId = optionalValue(flags, '--request', (raw) => {
    const id = normaliseRequestId(raw);
    if (!id) throw new UsageError(`--request must be a request id such as REQ-12 (got ${JSON.stringify(raw)})`);
    return id;
  });
  const out = optionalValue(flags, '--out', (raw) => raw);
  return {
    kind: 'auditExport',
    ...(since !== undefined && { since }),
    ...(until !== undefined && { until }),
    ...(requestId !== undefined && { requestId }),
    ...(out !== undefined && { out }),
  };
}

function parseCheck(argv: readonly string[]): CliCommand {
  const flags = parseFlags('check', argv, { '--all': 'switch', '--repair-owner': 'switch', '--as': 'value', '--wide': 'switch' });
  if (!flags.has('--all')) {
    throw new UsageError('check needs --all (every recorded group); to check one policy, use the bot: check <policy>');
  }
  const as = optionalValue(flags, '--as', approverObjectId);
  const repairOwner = flags.has('--repair-owner');
  if (repairOwner && as === undefined) {
    throw new UsageError('--repair-owner changes groups, so it needs --as <aadObjectId> (your Entra object id, an approver) to be attributable');
  }
  return { kind: 'check', repairOwner, wide: flags.has('--wide'), ...(as !== undefined && { as }) };
}

function parsePolicies(argv: readonly string[]): CliCommand {
  const [subcommand, ...rest] = argv;
  if (subcommand !== 'adopt') {
    return { kind: 'policies', ...outputForm('policies', parseFlags('policies', argv, { '--json': 'switch', '--wide': 'switch' })) };
  }
  const [policyId, ...options] = rest;
  if (policyId === undefined || policyId.startsWith('--')) throw new UsageError('policies adopt needs the Intune policy id: policies adopt <policyId> --as <aadObjectId>');
  const as = optionalValue(parseFlags('policies adopt', options, { '--as': 'value' }), '--as', approverObjectId);
  if (as === undefined) throw new UsageError('policies adopt records a group in your name, so it needs --as <aadObjectId> (your Entra object id, an approver)');
  return { kind: 'adopt', policyId, as };
}

function outputForm(command: string, flags: ParsedFlags): OutputForm {
  if (flags.has('--json') && flags.has('--wide')) throw new UsageError(`${command}: --json always prints whole values; --wide is for the table`);
  return { json: flags.has('--json'), wide: flags.has('--wide') };
}

function approverObjectId(raw: string): string {
  if (!GUID.test(raw)) throw new UsageError(`--as must be an Entra object id (a GUID such as 00000000-0000-0000-0000-000000000000), got ${JSON.stringify(raw)}`);
  return raw.toLowerCase();
}

/** `--flag value`, `--flag=value` and `--switch`; each flag at most once; no positional arguments. */
function parseFlags(command: string, argv: readonly string[], spec: FlagSpec): ParsedFlags {
  const flags = new Map<string, string | true>();
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index];
    const [name, inlineValue] = splitInline(argument);
    const kind = spec[name];
    if (kind === undefined) {
      const known = Object.keys(spec);
      const accepted = known.length > 0 ? `; it accepts ${known.join(', ')}` : '';
      throw new UsageError(
        name.startsWith('-') ? `${command}: unknown option ${name}${accepted}` : `${command}: unexpected argument ${JSON.stringify(argument)}${accepted}`,
      );
    }
    if (flags.has(name)) throw new UsageError(`${command}: ${name} is given more than once`);
    if (kind === 'switch') {
      if (inlineValue !== undefined) throw new UsageError(`${command}: ${name} takes no value`);
      flags.set(name, true);
      continue;
    }
    const value = inlineValue ?? argv[index + 1];
    if (value === undefined || value === '' || (inlineValue === undefined && value.startsWith('--'))) {
      throw new UsageError(`${command}: ${name} needs a value`);
    }
    if (inlineValue === undefined) index += 1;
    flags.set(name, value);
  }
  return flags;
}

function splitInline(argument: string): [string, string | undefined] {
  const equals = argument.indexOf('=');
  return argument.startsWith('--') && equals > 0 ? [argument.slice(0, equals), argument.slice(equals + 1)] : [argument, undefined];
}

function optionalValue<T>(flags: ParsedFlags, name: string, parse: (raw: string) => T): T | undefined {
  const value = flags.get(name);
  return typeof value === 'string' ? parse(value) : undefined;
}

function noExtraArguments(command: string, rest: readonly string[]): void {
  if (rest.length > 0) throw new UsageError(`${command} takes no arguments (got ${rest.join(' ')})`);
}

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/**
 * An ISO-8601 date or zoned date-time as the UTC instant the audit log compares against. A date-time
 * without a zone is refused: whose 08:00 it means would be a guess.
 */
function instantOf(flag: string, raw: string): string {
  const match = ISO_INSTANT.exec(raw);
  const time = match ? Date.parse(raw) : Number.NaN;
  // Date.parse rolls 2026-02-30 over to March: check the calendar date exists.
  if (!match || Number.isNaN(time) || !isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]))) {
    throw new UsageError(`${flag}: ${JSON.stringify(raw)} is not an ISO-8601 date (2026-11-01) or date-time with a time zone (2026-11-01T08:00:00Z)`);
  }
  return new Date(time).toISOString();
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
