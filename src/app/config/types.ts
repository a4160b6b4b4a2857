/** The shape of the runtime configuration: what the rest of the app reads, once it has been checked. */
import type { GraphCredentialConfig } from '../../graph/graphCredential';
import type { PostgresConnectionOptions } from '../../store/postgres';

export const APP_MODES = ['sandbox', 'production'] as const;
export type AppMode = (typeof APP_MODES)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** How the bot proves its identity to the Bot Framework (and checks incoming tokens). */
export type BotAuth =
  /** Sandbox only: every request accepted, so the server binds loopback only. */
  | { readonly kind: 'none' }
  | { readonly kind: 'SingleTenant'; readonly appId: string; readonly tenantId: string; readonly password: string }
  | { readonly kind: 'UserAssignedMsi'; readonly appId: string; readonly tenantId: string };

/** The Graph adapter's own credential type: `static` is the sandbox emulator's fixed token. */
export type GraphCredential = GraphCredentialConfig;

export type StoreConfig =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'postgres'; readonly url: string; readonly connection: PostgresConnectionOptions };

export interface Config {
  readonly mode: AppMode;
  readonly server: { readonly host: string; readonly port: number };
  readonly bot: BotAuth;
  readonly graph: {
    readonly baseUrl: string;
    readonly credential: GraphCredential;
    /** How long one Graph attempt may wait for an answer (GRAPH_TIMEOUT_MS). */
    readonly timeoutMs: number;
    /** How long reads right after a write may wait out replication lag (GRAPH_REPLICATION_WAIT_MS). */
    readonly replicationWaitMs: number;
    /** How many bot instances share the app registration's Intune budget; each paces to its part (GRAPH_INTUNE_INSTANCES). */
    readonly intuneInstances: number;
  };
  readonly store: StoreConfig;
  readonly approvers: {
    readonly ids: readonly string[];
    readonly groupId?: string;
    readonly allowSelfApproval: boolean;
  };
  readonly naming: { readonly groupNameTemplate?: string; readonly blockedWords: readonly string[] };
  /**
   * Reaching approvers who never talked to the bot (production only): the app's id in the organisation's app
   * catalog (TEAMS_APP_CATALOG_ID; unset = not reached), and the Bot Connector to address their chats at.
   */
  readonly teams: { readonly catalogAppId?: string; readonly serviceUrl: string };
  /** The tenant's device-preparation policies and the health watch (issue 14). */
  readonly inventory: {
    /** Seconds between health-watch passes (HEALTH_CHECK_INTERVAL_SECONDS); 0 turns the watch off. */
    readonly healthCheckIntervalSeconds: number;
    /** Days after which a group the bot made, whose policy never appeared in Intune, is an orphan (ORPHAN_GROUP_DAYS). */
    readonly orphanGroupDays: number;
  };
  /**
   * The Azure Bot's OAuth connection approvers sign in through, so Intune changes are made with their own
   * delegated token (OAUTH_CONNECTION_NAME; absent: no sign-in, the manual path as before). Issue 19.
   */
  readonly oauthConnection?: {
    readonly name: string;
    /** Sandbox only: the loopback token-service stub the bot's user-token client calls (botbuilder's `OAuthUrl`). */
    readonly tokenServiceUrl?: string;
  };
  readonly logLevel: LogLevel;
  /** Application Insights; absent when APPLICATIONINSIGHTS_CONNECTION_STRING is unset and always in sandbox mode. */
  readonly telemetry?: { readonly connectionString: string };
}
