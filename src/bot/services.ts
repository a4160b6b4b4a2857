import type { ProvisioningService } from '../provisioning/types';
import type { ApproverDirectory, RequestsService } from '../requests/types';
import type { AuditEntryInput } from '../store/port';
import type { Logger } from '../logger';
import type { ConversationStore } from './ports';

/** What the route handlers use: the services, never botbuilder state or module globals. */
export interface BotServices {
  readonly requests: RequestsService;
  readonly provisioning: Pick<ProvisioningService, 'previewNames'>;
  readonly conversations: ConversationStore;
  readonly approvers: ApproverDirectory;
  /** Configured approvers (AAD object ids): whose personal chats get approval cards and refresh views. */
  readonly approverIds: readonly string[];
  readonly logger: Logger;
  /** Where the bot's own denials are audited (the store); the requests service audits its own. */
  readonly audit?: { appendAudit(entry: AuditEntryInput): Promise<unknown> };
  readonly clock: () => Date;
}
