/**
 * The bot: a teams-ai Application whose routes are listed here and nowhere else. Each route delegates to one
 * command or card-verb module; those call the requests service, which owns every rule and every write.
 */
// teams-ai's package index loads its whole AI stack (planners, models, openai, tokenizers, prompts): the
// modules we use are imported from their own files, which keeps that out of the process.
import { Application } from '@microsoft/teams-ai/lib/Application';
import { TurnState } from '@microsoft/teams-ai/lib/TurnState';
import { ActivityTypes, type BotAdapter, type Storage, type TurnContext } from 'botbuilder';
import type { ProvisioningService } from '../provisioning/types';
import type { ApproverDirectory, RequestNotifier, RequestsService } from '../requests/types';
import type { AuditEntryInput } from '../store/port';
import { approve } from './actions/approve';
import { groupsPage } from './actions/groupsPage';
import { openRequestForm } from './actions/openRequestForm';
import { previewRequest } from './actions/previewRequest';
import { refreshApproval } from './actions/refreshApproval';
import { reject } from './actions/reject';
import { repairOwner } from './actions/repairOwner';
import { retry } from './actions/retry';
import { showHelp } from './actions/showHelp';
import { showMine } from './actions/showMine';
import { submitRequest } from './actions/submitRequest';
import { BIND_COMMAND, handleBind } from './commands/bind';
import { CANCEL_COMMAND, handleCancel } from './commands/cancel';
import { CHECK_COMMAND, handleCheck } from './commands/check';
import { HELP_COMMAND, handleHelp, handleUnknown } from './commands/help';
import { GROUPS_COMMAND, MINE_COMMAND, PENDING_COMMAND, handleGroups, handleMine, handlePending } from './commands/lists';
import { REGISTER_APPROVALS_COMMAND, handleRegisterApprovals } from './commands/registerApprovals';
import { REQUEST_COMMAND, handleRequestCommand } from './commands/request';
import { STATUS_COMMAND, handleStatus } from './commands/status';
import { handleMembersAdded } from './commands/welcome';
import { type Logger, silentLogger } from '../logger';
import { createRequestNotifier } from './notifier';
import type { ConversationStore } from './ports';
import type { BotServices } from './services';
import { type InvokeReply, actorOf, conversationKindOf, referenceOf, sendInvokeReply } from './turn';
import { VERBS } from './verbs';

export type BotApplication = Application<TurnState>;

export interface BotDeps {
  readonly requests: RequestsService;
  readonly provisioning: Pick<ProvisioningService, 'previewNames'>;
  readonly conversations: ConversationStore;
  /** botbuilder storage for teams-ai's turn state; nothing of ours lives there (the SQL store holds it all). */
  readonly storage?: Storage;
  readonly approvers: ApproverDirectory;
  readonly approverIds?: readonly string[];
  /** The adapter that receives the HTTP turns: proactive messages and card updates go through it too. */
  readonly adapter: BotAdapter;
  /** Empty in sandbox mode only. */
  readonly botAppId: string;
  readonly logger?: Logger;
  /** Audit log for denials the bot decides itself (pass the store). */
  readonly audit?: { appendAudit(entry: AuditEntryInput): Promise<unknown> };
  readonly clock?: () => Date;
  /** Tests start no typing timer (it outlives the turn). */
  readonly startTypingTimer?: boolean;
}

export interface Bot {
  readonly app: BotApplication;
  readonly notifier: RequestNotifier;
}

const ANY_OTHER_VERB = /^/;

const TURN_FAILED_MESSAGE = 'Something went wrong on my side. Please try again in a moment.';

type CommandHandler = (context: TurnContext, services: BotServices) => Promise<void>;
type VerbHandler = (context: TurnContext, services: BotServices, data: unknown) => Promise<InvokeReply>;

export function createBot(deps: BotDeps): Bot {
  const logger = deps.logger ?? silentLogger;
  const approverIds = deps.approverIds ?? [];
  const services: BotServices = { ...deps, approverIds, logger, clock: deps.clock ?? (() => new Date()) };
  const app = new Application<TurnState>({
    storage: deps.storage,
    botAppId: deps.botAppId,
    removeRecipientMention: true,
    startTypingTimer: deps.startTypingTimer ?? true,
    longRunningMessages: false,
    turnStateFactory: () => new TurnState(),
  });

  const command = (pattern: RegExp, handler: CommandHandler): void => {
    app.message(pattern, (context) => handler(context, services));
  };
  const verb = (name: string | RegExp, handler: VerbHandler): void => {
    app.adaptiveCards.actionExecute<unknown>(name, async (context, _state, data) => {
      await sendInvokeReply(context, await handler(context, services, data));
      return ''; // ignored: the invoke response is already sent
    });
  };

  app.turn('beforeTurn', async (context) => {
    await rememberPersonalChat(context, services);
    return true;
  });
  app.conversationUpdate('membersAdded', handleMembersAdded);

  command(REQUEST_COMMAND, handleRequestCommand);
  command(STATUS_COMMAND, handleStatus);
  command(MINE_COMMAND, handleMine);
  command(PENDING_COMMAND, handlePending);
  command(GROUPS_COMMAND, handleGroups);
  command(CHECK_COMMAND, handleCheck);
  command(BIND_COMMAND, handleBind);
  command(CANCEL_COMMAND, handleCancel);
  command(REGISTER_APPROVALS_COMMAND, handleRegisterApprovals);
  command(HELP_COMMAND, handleHelp);
  app.activity(ActivityTypes.Message, handleUnknown);

  verb(VERBS.openRequestForm, openRequestForm);
  verb(VERBS.previewRequest, previewRequest);
  verb(VERBS.submitRequest, submitRequest);
  verb(VERBS.showMine, showMine);
  verb(VERBS.showHelp, showHelp);
  verb(VERBS.refreshApproval, refreshApproval);
  verb(VERBS.approve, approve);
  verb(VERBS.reject, reject);
  verb(VERBS.retry, retry);
  verb(VERBS.groupsPage, groupsPage);
  verb(VERBS.repairOwner, repairOwner);
  // Last: a verb no card of this version has (an old card, or a forged click) gets an answer, not a 501.
  verb(ANY_OTHER_VERB, async () => ({ message: 'This button is no longer available. Type `help` to see what I can do.' }));

  deps.adapter.onTurnError = async (context, error) => {
    logger.error({ err: error, activityType: context.activity.type }, 'turn failed');
    if (context.activity.type === ActivityTypes.Invoke) await sendInvokeReply(context, { message: TURN_FAILED_MESSAGE });
    else await context.sendActivity(TURN_FAILED_MESSAGE);
  };

  const notifier = createRequestNotifier({ adapter: deps.adapter, botAppId: deps.botAppId, conversations: deps.conversations, approverIds, logger });
  return { app, notifier };
}

/** The personal chat of everyone who talks to the bot, so notifications and approval cards can reach them. */
async function rememberPersonalChat(context: TurnContext, services: BotServices): Promise<void> {
  const actor = actorOf(context);
  if (!actor || conversationKindOf(context) !== 'personal') return;
  await services.conversations.savePersonalConversation(actor.aadObjectId, referenceOf(context));
}
