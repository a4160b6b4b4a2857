/**
 * botbuilder's Bot Framework authentication, with the outbound clients reused across turns. CloudAdapter asks
 * for a new ConnectorClient and UserTokenClient on every incoming activity, and each builds its own Azure HTTP
 * pipeline: measured, about a quarter of a bare CloudAdapter turn's CPU. Neither keeps per-turn state, so one
 * per bot app id (and, for connectors, service URL and audience) serves every turn. Authentication itself is
 * botbuilder's, unchanged: every request is validated before any client is handed out.
 */
import { ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import { ClaimsIdentity } from 'botframework-connector';

type Base = ConfigurationBotFrameworkAuthentication;
type Claims = Parameters<Base['createConnectorFactory']>[0];
type ConnectorFactory = ReturnType<Base['createConnectorFactory']>;
type ConnectorClient = Awaited<ReturnType<ConnectorFactory['create']>>;
type UserTokenClient = Awaited<ReturnType<Base['createUserTokenClient']>>;
type AuthenticateRequestResult = Awaited<ReturnType<Base['authenticateRequest']>>;

/** Teams uses a handful of service URLs; the bound only keeps a flood of made-up ones from growing memory. */
export const MAX_REUSED_CLIENTS = 64;

// Claim names as botbuilder reads them to pick the bot's app id (audience for channels, appid for the Emulator).
const AUDIENCE_CLAIM = 'aud';
const APP_ID_CLAIM = 'appid';

/** Promises by key, oldest dropped first beyond `limit`; a rejected one is forgotten so the next call retries. */
class ReusedClients<T> {
  private readonly entries = new Map<string, Promise<T>>();

  constructor(private readonly limit: number) {}

  get(key: string, create: () => Promise<T>): Promise<T> {
    const existing = this.entries.get(key);
    if (existing) return existing;
    const created = create();
    created.catch(() => this.entries.get(key) === created && this.entries.delete(key));
    this.entries.set(key, created);
    const oldest = this.entries.keys().next().value;
    if (this.entries.size > this.limit && oldest !== undefined) this.entries.delete(oldest);
    return created;
  }
}

function appIdOf(claimsIdentity: Claims): string {
  return claimsIdentity.getClaimValue(AUDIENCE_CLAIM) ?? claimsIdentity.getClaimValue(APP_ID_CLAIM) ?? '';
}

export interface ReusingAuthenticationOptions {
  /**
   * Sandbox only: the app id the user-token client speaks for when a request carries no identity. botbuilder
   * takes it from the caller's claims, which are anonymous without authentication, and its token client
   * refuses to ask for a sign-in link without one. Still no credential: no Authorization header is sent.
   */
  readonly anonymousAppId?: string;
}

export class ReusingBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly connectors = new ReusedClients<ConnectorClient>(MAX_REUSED_CLIENTS);
  private readonly userTokenClients = new ReusedClients<UserTokenClient>(MAX_REUSED_CLIENTS);
  private readonly anonymousAppId: string | undefined;

  constructor(settings: ConfigurationBotFrameworkAuthenticationOptions, options: ReusingAuthenticationOptions = {}) {
    super(settings);
    this.anonymousAppId = options.anonymousAppId;
  }

  override async authenticateRequest(...args: Parameters<Base['authenticateRequest']>): Promise<AuthenticateRequestResult> {
    return this.reusingConnectors(await super.authenticateRequest(...args));
  }

  override async authenticateStreamingRequest(
    ...args: Parameters<Base['authenticateStreamingRequest']>
  ): Promise<AuthenticateRequestResult> {
    return this.reusingConnectors(await super.authenticateStreamingRequest(...args));
  }

  override createConnectorFactory(claimsIdentity: Claims): ConnectorFactory {
    return this.reusing(super.createConnectorFactory(claimsIdentity), claimsIdentity);
  }

  override createUserTokenClient(claimsIdentity: Claims): Promise<UserTokenClient> {
    const identity = appIdOf(claimsIdentity) === '' && this.anonymousAppId ? new ClaimsIdentity([{ type: APP_ID_CLAIM, value: this.anonymousAppId }], true) : claimsIdentity;
    return this.userTokenClients.get(appIdOf(identity), () => super.createUserTokenClient(identity));
  }

  private reusingConnectors(result: AuthenticateRequestResult): AuthenticateRequestResult {
    const { connectorFactory, claimsIdentity } = result;
    return connectorFactory ? { ...result, connectorFactory: this.reusing(connectorFactory, claimsIdentity) } : result;
  }

  private reusing(factory: ConnectorFactory, claimsIdentity: Claims): ConnectorFactory {
    const appId = appIdOf(claimsIdentity);
    return {
      create: (serviceUrl, audience) =>
        this.connectors.get(JSON.stringify([appId, serviceUrl, audience ?? '']), () => factory.create(serviceUrl, audience)),
    };
  }
}
