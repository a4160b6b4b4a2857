/**
 * The bot over the real stack: requests service, SQLite store in a temp dir, provisioning service and Graph
 * adapter against the sandbox Graph emulator on loopback, approver directory from configured ids.
 */
import type { BotAdapter } from 'botbuilder';
import type { Actor } from '../../../src/domain/actor';
import { Teams } from './turns';
import type { GroupNames } from '../../../src/domain/naming';
import type { Scenario } from '../../../src/domain/scenario';
import { type Bot, createBot } from '../../../src/bot/app';
import { createRequestNotifier } from '../../../src/bot/features/approval/notifier';
import { type PersonalChatOpening, createApproverReach, createProactiveSender } from '../../../src/bot/proactive';
import type { TeamsAppInstaller } from '../../../src/bot/ports';
import type { Clock } from '../../../src/shared/clock';
import type { Logger } from '../../../src/shared/logger';
import { createGraphDirectory } from '../../../src/graph';
import { createProvisioningService } from '../../../src/provisioning';
import type { ProvisioningService } from '../../../src/provisioning/types';
import { createApproverDirectory } from '../../../src/requests/approvers';
import { createInventory } from '../../../src/inventory/inventory';
import { createReadinessFixer } from '../../../src/inventory/readinessFix';
import { createTenantPolicies } from '../../../src/inventory/tenant';
import type { InventoryService } from '../../../src/inventory/types';
import { createRequestsService } from '../../../src/requests/service';
import type { RequestsService } from '../../../src/requests/types';
import { type GraphEmulator, startGraphEmulator } from '../../../src/sandbox/graphEmulator';
import type { SandboxTenant } from '../../../src/sandbox/tenant';
import type { Store } from '../../../src/store';
import { type StoreHarness, sqliteHarness } from '../../store/support/harness';

export interface Person extends Actor {
  /** The Teams user id (`29:…`) that `activity.from.id` carries. */
  readonly teamsId: string;
}

export const helpdesk: Person = { aadObjectId: '11111111-1111-1111-1111-111111111111', name: 'Hana Helpdesk', teamsId: '29:hana' };
export const approver: Person = { aadObjectId: '22222222-2222-2222-2222-222222222222', name: 'Aki Approver', teamsId: '29:aki' };
export const otherApprover: Person = { aadObjectId: '33333333-3333-3333-3333-333333333333', name: 'Omar Approver', teamsId: '29:omar' };
export const outsider: Person = { aadObjectId: '44444444-4444-4444-4444-444444444444', name: 'Olga Outsider', teamsId: '29:olga' };

const TOKEN = 'bot-test-token';
const FAST_RETRY = { maxRetries: 1, delaySeconds: 0, maxRetryTimeMs: 5000, replicationReadAttempts: 5, replicationReadDelayMs: 20 };

export interface BotWorld {
  readonly emulator: GraphEmulator;
  readonly store: Store;
  readonly requests: RequestsService;
  readonly provisioning: ProvisioningService;
  /** The inventory `policies` takes (what a health watch over the same world would take). */
  readonly inventory: InventoryService;
  readonly bot: Bot;
  /** What the bot logged at warn/error level: failures must be visible, not swallowed. */
  readonly problems: { level: string; fields: object; message?: string }[];
  dispose(): Promise<void>;
}

export interface BotWorldOptions {
  readonly adapter: BotAdapter;
  readonly botAppId?: string;
  readonly approvers?: readonly Actor[];
  /** Sets up an Entra group in the emulator whose members approve too; returns its object id. */
  readonly approverGroup?: (tenant: SandboxTenant) => string;
  /** Opening approvers' chats through Graph (the emulator) and the Bot Connector at a given URL. */
  readonly personalChats?: (installer: TeamsAppInstaller) => PersonalChatOpening;
  /** Seed the sandbox's hand-made groups (correct and broken) as `npm start` does. */
  readonly brokenCases?: boolean;
  /** The emulator's clock (Entra purges a deleted group 30 days after its deletion). */
  readonly graphClock?: Clock;
  /** The inventory also reads what each policy selects and whom it applies to (issue 20's readiness findings). */
  readonly readiness?: boolean;
}

export async function createBotWorld(options: BotWorldOptions): Promise<BotWorld> {
  const emulator = await startGraphEmulator({
    requiredToken: TOKEN,
    ...(options.brokenCases === true && { seed: { brokenCases: true } }),
    ...(options.graphClock && { clock: options.graphClock }),
  });
  const harness: StoreHarness = sqliteHarness();
  const store = await harness.open();
  const problems: BotWorld['problems'] = [];
  const logger: Logger = {
    info: () => undefined,
    warn: (fields, message) => void problems.push({ level: 'warn', fields, message }),
    error: (fields, message) => void problems.push({ level: 'error', fields, message }),
  };
  const directory = createGraphDirectory({ baseUrl: emulator.url, credential: { kind: 'static', token: TOKEN }, retry: FAST_RETRY });
  const provisioning = createProvisioningService({ directory, registry: store });
  const approverIds = (options.approvers ?? [approver, otherApprover]).map((a) => a.aadObjectId);
  const approverGroupId = options.approverGroup?.(emulator.admin);
  const approvers = createApproverDirectory({ approverIds, ...(approverGroupId !== undefined && { approverGroupId, membership: directory }) });
  // Built as the composition root builds them: the notifier first, then the services, then the bot.
  const botAppId = options.botAppId ?? '';
  const sender = createProactiveSender({ adapter: options.adapter, botAppId, logger });
  const reach = createApproverReach({ conversations: store, approvers, ...(options.personalChats && { personalChats: options.personalChats(directory) }), logger });
  const notifier = createRequestNotifier({ sender, reach, conversations: store, approverIds, logger });
  const tenant = createTenantPolicies({ directory });
  const inventory = createInventory({ tenant, records: store, ...(options.readiness === true && { readiness: directory }) });
  const fixes = createReadinessFixer({ reader: directory, assigner: directory });
  const requests = createRequestsService({ store, provisioning, inventory, fixes, tenant, approvers, notifier, resumeAfterMs: 0 });
  const bot = createBot({ requests, conversations: store, approverIds, adapter: options.adapter, botAppId, logger, startTypingTimer: false });
  return {
    emulator,
    store,
    requests,
    provisioning,
    inventory,
    bot,
    problems,
    async dispose() {
      await requests.idle();
      await store.close();
      await harness.dispose();
      await emulator.close();
    },
  };
}

/** A request submitted straight through the requests service (no turn), as `by` (Hana by default): its id. */
export async function submitted(world: BotWorld, policyName = 'Contoso Sales', by: Person = helpdesk): Promise<string> {
  const result = await world.requests.submit({ policyName, scenario: 'userDriven', requester: by });
  if (result.kind !== 'created') throw new Error(result.kind);
  return result.request.id;
}

/** A request submitted by Hana, approved by Aki and provisioned to the end: its id. */
export async function provisioned(world: BotWorld, policyName: string): Promise<string> {
  const id = await submitted(world, policyName);
  await world.requests.approve(id, approver);
  await world.requests.idle();
  return id;
}

/** The names the requests service previews for a valid policy name (tests compare cards against them). */
export function previewedNames(world: BotWorld, policyName: string, scenario: Scenario): GroupNames {
  const preview = world.requests.previewNames(policyName, scenario);
  if (!preview.ok) throw new Error(preview.message);
  return preview.names;
}

/** A bot world and the Teams client that drives it (botbuilder's TestAdapter), as most bot tests start. */
export async function createBotWorldWithTeams(options: Omit<BotWorldOptions, 'adapter'> = {}): Promise<{ world: BotWorld; teams: Teams }> {
  const teams = new Teams(() => world.bot);
  const world = await createBotWorld({ ...options, adapter: teams.adapter });
  return { world, teams };
}
