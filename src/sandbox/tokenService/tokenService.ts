/**
 * The sandbox's Bot Framework token service: who is signed in to which OAuth connection, the sign-ins under
 * way, and the delegated Graph tokens it hands out. No HTTP here (tokenServiceHttp.ts speaks the wire format).
 *
 * The real service keeps a refresh token per user, connection and channel and answers GetToken with a current
 * access token, or "not signed in"; a person signs in through its sign-in link (the page then shows a code the
 * bot redeems with GetToken?code=), or the bot exchanges Teams' SSO token. The sandbox has no Entra, so by
 * default every sandbox person counts as signed in (the Agents Playground cannot show a sign-in); `ask` makes
 * each person sign in through the loopback page first. Signing out is remembered in both modes.
 * Over 300 lines because its operations share one per-person, per-connection state; the wire format is apart.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { GRAPH_AUDIENCES, issueToken, readDelegatedToken, type IssuedToken, type TokenRefusal, type TokenSubject } from './delegatedToken';
import { SandboxJwtSigner } from './sandboxJwt';

/** A person of the sandbox tenant as the token service knows them. */
export interface SandboxPerson {
  /** The channel account id (`activity.from.id`, e.g. `29:megan-bowen`): the `userId` the bot sends. */
  readonly userId: string;
  /** Entra object id (`activity.from.aadObjectId`), the `oid` of their tokens. */
  readonly objectId: string;
  readonly displayName: string;
  readonly userPrincipalName: string;
  /**
   * The groups this person's Intune role may assign (its scope groups); absent: every group. Models an approver
   * whose role does not cover a group, for which Intune answers `securityGroupNotInCallerScope`.
   */
  readonly intuneScopeGroupIds?: readonly string[];
}

/** An OAuth connection of the Azure Bot, as the token service knows it. */
export interface OAuthConnection {
  readonly name: string;
  /** The connection's Token Exchange URL: the audience of Teams' SSO token, `api://botid-{app id}`. */
  readonly tokenExchangeUri: string;
  /** The delegated Graph scopes its tokens carry (`scp`). */
  readonly scopes: readonly string[];
  /** The client id of the connection's Entra app: the `appid` of the tokens it issues. */
  readonly clientId: string;
}

/** `signedIn`: every sandbox person counts as signed in until they sign out; `ask`: nobody until they sign in. */
export type SignInMode = 'signedIn' | 'ask';

export interface SandboxTokenServiceOptions {
  readonly tenantId: string;
  readonly people: readonly SandboxPerson[];
  readonly connections: readonly OAuthConnection[];
  readonly signIn?: SignInMode;
  /** Lifetime of the delegated tokens (default 10 minutes: short, so expiry is met in a long session). */
  readonly tokenLifetimeMs?: number;
  /** How long a sign-in link and its code stay usable (default 15 minutes). */
  readonly signInLifetimeMs?: number;
  readonly signer?: SandboxJwtSigner;
  readonly now?: () => number;
}

/** The token service's `TokenResponse`. */
export interface TokenResponse {
  readonly channelId: string;
  readonly connectionName: string;
  readonly token: string;
  readonly expiration: string;
}

/** The token service's `TokenStatus`. */
export interface TokenStatus {
  readonly channelId: string;
  readonly connectionName: string;
  readonly hasToken: boolean;
  readonly serviceProviderDisplayName: string;
}

/** The token service's `SignInUrlResponse`. */
export interface SignInResource {
  readonly signInLink: string;
  readonly tokenExchangeResource: { readonly id: string; readonly uri: string };
}

/** An answer the HTTP side turns into the service's ErrorResponse, `{"error":{"code","message"}}`. */
export interface ServiceError {
  readonly kind: 'error';
  readonly status: 400 | 404;
  readonly code: string;
  readonly message: string;
}

export type TokenAnswer = { readonly kind: 'token'; readonly response: TokenResponse } | { readonly kind: 'notSignedIn' } | ServiceError;

/** Where a user's token lives: one user, one connection, one channel. */
export interface TokenKey {
  readonly userId: string;
  readonly connectionName: string;
  readonly channelId: string;
}

/** What the sign-in page shows for one sign-in link. */
export type SignInPage =
  | { readonly kind: 'ready'; readonly person: SandboxPerson; readonly connectionName: string }
  | { readonly kind: 'signedIn'; readonly person: SandboxPerson; readonly connectionName: string; readonly code: string }
  | { readonly kind: 'unknownLink' }
  | { readonly kind: 'expired' }
  | { readonly kind: 'unknownPerson'; readonly userId: string };

/** The Teams desktop and web client: the `appid` of the SSO token Teams obtains for the bot's Entra app. */
export const TEAMS_CLIENT_ID = '1fec8e78-bce4-4aaf-ab1b-5451cc387264';
/** The scope an Entra app exposes for Teams SSO. */
export const SSO_SCOPE = 'access_as_user';
/** How Azure names the connections' identity provider ("Azure Active Directory v2", service `Aadv2`). */
export const AAD_V2_DISPLAY_NAME = 'Azure Active Directory v2';

const DEFAULT_TOKEN_LIFETIME_MS = 10 * 60 * 1000;
const DEFAULT_SIGN_IN_LIFETIME_MS = 15 * 60 * 1000;
/** The real service answers with its cached token until it is about to expire. */
const REFRESH_BEFORE_EXPIRY_MS = 60 * 1000;

/** The `state` botbuilder's UserTokenClient sends to GetSignInResource: base64 JSON of a TokenExchangeState. */
const tokenExchangeState = z.object({
  connectionName: z.string().min(1),
  conversation: z.object({ channelId: z.string().min(1), user: z.object({ id: z.string().min(1) }) }).passthrough(),
  msAppId: z.string().optional(),
}).passthrough();

const exchangeRequest = z.object({ token: z.string().optional(), uri: z.string().optional() });

type Session = { readonly kind: 'signedIn'; token?: IssuedToken } | { readonly kind: 'signedOut' };

interface PendingSignIn extends TokenKey {
  readonly expiresAtMs: number;
  code?: string;
}

export class SandboxTokenService {
  readonly tenantId: string;
  readonly signer: SandboxJwtSigner;
  private readonly mode: SignInMode;
  private readonly now: () => number;
  private readonly tokenLifetimeMs: number;
  private readonly signInLifetimeMs: number;
  private readonly peopleByUserId: ReadonlyMap<string, SandboxPerson>;
  private readonly connectionsByName: ReadonlyMap<string, OAuthConnection>;
  private readonly intuneScopes = new Map<string, ReadonlySet<string>>();
  private readonly sessions = new Map<string, Session>();
  private readonly signIns = new Map<string, PendingSignIn>();

  constructor(options: SandboxTokenServiceOptions) {
    this.tenantId = options.tenantId;
    this.signer = options.signer ?? new SandboxJwtSigner();
    this.mode = options.signIn ?? 'signedIn';
    this.now = options.now ?? Date.now;
    this.tokenLifetimeMs = options.tokenLifetimeMs ?? DEFAULT_TOKEN_LIFETIME_MS;
    this.signInLifetimeMs = options.signInLifetimeMs ?? DEFAULT_SIGN_IN_LIFETIME_MS;
    this.peopleByUserId = new Map(options.people.map((person) => [person.userId.toLowerCase(), person]));
    this.connectionsByName = new Map(options.connections.map((connection) => [connection.name.toLowerCase(), connection]));
    for (const person of options.people) {
      if (person.intuneScopeGroupIds) this.setIntuneScope(person.objectId, person.intuneScopeGroupIds);
    }
  }

  // ── the operations botbuilder's user-token client calls ─────────────────────────────────────────────────

  /** GetToken: the user's current token, or redeem the code the sign-in page showed. */
  getToken(key: TokenKey, code?: string): TokenAnswer {
    const connection = this.connection(key.connectionName);
    if (connection.kind === 'error') return connection;
    if (code !== undefined && code !== '') this.redeem(key, code);
    const token = this.currentToken(key, connection.connection);
    return token ? { kind: 'token', response: this.tokenResponse(key, connection.connection, token) } : { kind: 'notSignedIn' };
  }

  /** GetSignInResource / GetSignInUrl: a sign-in link on `origin` for the person and connection the state names. */
  signInResource(state: string, origin: string): { readonly kind: 'resource'; readonly resource: SignInResource } | ServiceError {
    const parsed = tokenExchangeState.safeParse(decodeState(state));
    if (!parsed.success) return badRequest('The state is not a base64-encoded token exchange state (connectionName, conversation, msAppId).');
    const connection = this.connection(parsed.data.connectionName);
    if (connection.kind === 'error') return connection;
    const id = randomUUID();
    this.signIns.set(id, {
      userId: parsed.data.conversation.user.id,
      connectionName: connection.connection.name,
      channelId: parsed.data.conversation.channelId,
      expiresAtMs: this.now() + this.signInLifetimeMs,
    });
    return {
      kind: 'resource',
      resource: { signInLink: `${origin}${SIGN_IN_PAGE_PATH}${id}`, tokenExchangeResource: { id: randomUUID(), uri: connection.connection.tokenExchangeUri } },
    };
  }

  /** exchange: swap Teams' SSO token (audience the connection's Token Exchange URL) for a Graph token. */
  exchange(key: TokenKey, body: unknown): TokenAnswer {
    const connection = this.connection(key.connectionName);
    if (connection.kind === 'error') return connection;
    const request = exchangeRequest.safeParse(body);
    if (!request.success || !request.data.token) return badRequest('The exchange request carries no token (exchange by uri is not modelled by the sandbox).');
    const person = this.person(key.userId);
    if (!person) return { kind: 'notSignedIn' };
    const reading = readDelegatedToken(this.signer, request.data.token, { audiences: [connection.connection.tokenExchangeUri], tenantId: this.tenantId, nowMs: this.now() });
    if (reading.kind === 'refused') return badRequest(`The token cannot be exchanged: ${EXCHANGE_REFUSALS[reading.reason]}.`);
    if (reading.objectId !== person.objectId) return badRequest('The token cannot be exchanged: it was issued to another user.');
    if (!reading.scopes.includes(SSO_SCOPE)) return badRequest(`The token cannot be exchanged: it does not carry the ${SSO_SCOPE} scope.`);
    this.sessions.set(sessionKey(key), { kind: 'signedIn' });
    const token = this.currentToken(key, connection.connection);
    return token ? { kind: 'token', response: this.tokenResponse(key, connection.connection, token) } : { kind: 'notSignedIn' };
  }

  /** SignOut: forget the user's token for one connection, or for every connection when none is named. */
  signOut(userId: string, channelId: string, connectionName?: string): void {
    const names = connectionName ? [connectionName] : [...this.connectionsByName.values()].map((connection) => connection.name);
    for (const name of names) this.sessions.set(sessionKey({ userId, connectionName: name, channelId }), { kind: 'signedOut' });
    for (const [id, signIn] of this.signIns) {
      if (sameText(signIn.userId, userId) && names.some((name) => sameText(name, signIn.connectionName))) this.signIns.delete(id);
    }
  }

  /** GetTokenStatus: whether the user holds a token for each connection (`include`: comma-separated names). */
  tokenStatus(userId: string, channelId: string, include?: string): TokenStatus[] {
    const wanted = include ? include.split(',').map((name) => name.trim().toLowerCase()).filter((name) => name !== '') : undefined;
    return [...this.connectionsByName.values()]
      .filter((connection) => !wanted || wanted.includes(connection.name.toLowerCase()))
      .map((connection) => ({
        channelId,
        connectionName: connection.name,
        hasToken: this.isSignedIn({ userId, connectionName: connection.name, channelId }),
        serviceProviderDisplayName: AAD_V2_DISPLAY_NAME,
      }));
  }

  /** GetAadTokens: a token per resource URL for a signed-in user (each with that resource as its audience). */
  aadTokens(key: TokenKey, body: unknown): { readonly kind: 'tokens'; readonly tokens: Record<string, TokenResponse> } | ServiceError {
    const connection = this.connection(key.connectionName);
    if (connection.kind === 'error') return connection;
    const request = z.object({ resourceUrls: z.array(z.string().min(1)) }).safeParse(body);
    if (!request.success) return badRequest('The body must be {"resourceUrls": [...]}.');
    const person = this.person(key.userId);
    if (!person || !this.isSignedIn(key)) return { kind: 'error', status: 404, code: 'NotFound', message: 'The user is not signed in to this connection.' };
    const tokens: Record<string, TokenResponse> = {};
    for (const resource of request.data.resourceUrls) {
      tokens[resource] = this.tokenResponse(key, connection.connection, this.issue(person, resource, connection.connection.scopes, connection.connection.clientId));
    }
    return { kind: 'tokens', tokens };
  }

  // ── the sign-in page ────────────────────────────────────────────────────────────────────────────────

  signInPage(id: string): SignInPage {
    const signIn = this.signIns.get(id);
    if (!signIn) return { kind: 'unknownLink' };
    if (signIn.expiresAtMs <= this.now()) return { kind: 'expired' };
    const person = this.person(signIn.userId);
    if (!person) return { kind: 'unknownPerson', userId: signIn.userId };
    return signIn.code === undefined
      ? { kind: 'ready', person, connectionName: signIn.connectionName }
      : { kind: 'signedIn', person, connectionName: signIn.connectionName, code: signIn.code };
  }

  /** The person confirmed on the page: a code to hand back to the bot, as the Bot Framework's page shows one. */
  completeSignIn(id: string): SignInPage {
    const page = this.signInPage(id);
    const signIn = this.signIns.get(id);
    if (page.kind !== 'ready' || !signIn) return page;
    signIn.code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    return { kind: 'signedIn', person: page.person, connectionName: page.connectionName, code: signIn.code };
  }

  // ── what Teams and Intune would know (for the emulator and for tests) ──────────────────────────────────

  /** The SSO token Teams would obtain for this person (audience the connection's Token Exchange URL). */
  ssoTokenFor(userId: string, connectionName: string): string | undefined {
    const person = this.person(userId);
    const connection = this.connectionsByName.get(connectionName.toLowerCase());
    if (!person || !connection) return undefined;
    return this.issue(person, connection.tokenExchangeUri, [SSO_SCOPE], TEAMS_CLIENT_ID).token;
  }

  /** The knob: limit a person's Intune role to some groups (`undefined`: every group again). */
  setIntuneScope(objectId: string, groupIds: readonly string[] | undefined): void {
    if (groupIds === undefined) this.intuneScopes.delete(objectId.toLowerCase());
    else this.intuneScopes.set(objectId.toLowerCase(), new Set(groupIds.map((id) => id.toLowerCase())));
  }

  /** Whether Intune lets this person assign this group (false: `securityGroupNotInCallerScope`). */
  intuneScopeCovers(objectId: string, groupId: string): boolean {
    const scope = this.intuneScopes.get(objectId.toLowerCase());
    return scope === undefined || scope.has(groupId.toLowerCase());
  }

  // ── inside ──────────────────────────────────────────────────────────────────────────────────────────

  private isSignedIn(key: TokenKey): boolean {
    if (!this.person(key.userId)) return false;
    const session = this.sessions.get(sessionKey(key));
    return session ? session.kind === 'signedIn' : this.mode === 'signedIn';
  }

  private currentToken(key: TokenKey, connection: OAuthConnection): IssuedToken | undefined {
    const person = this.person(key.userId);
    if (!person || !this.isSignedIn(key)) return undefined;
    const id = sessionKey(key);
    const session = this.sessions.get(id);
    const cached = session?.kind === 'signedIn' ? session.token : undefined;
    if (cached && cached.expiresAtMs - REFRESH_BEFORE_EXPIRY_MS > this.now()) return cached;
    const token = this.issue(person, GRAPH_AUDIENCES[0], connection.scopes, connection.clientId);
    this.sessions.set(id, { kind: 'signedIn', token });
    return token;
  }

  /** A code is good once, for the user, connection and channel its sign-in link was made for. */
  private redeem(key: TokenKey, code: string): void {
    for (const [id, signIn] of this.signIns) {
      if (signIn.code === code && signIn.expiresAtMs > this.now() && sessionKey(signIn) === sessionKey(key)) {
        this.signIns.delete(id);
        this.sessions.set(sessionKey(key), { kind: 'signedIn' });
        return;
      }
    }
  }

  private issue(person: SandboxPerson, audience: string, scopes: readonly string[], clientId: string): IssuedToken {
    return issueToken(this.signer, { subject: this.subject(person), audience, scopes, clientId, lifetimeMs: this.tokenLifetimeMs, nowMs: this.now() });
  }

  private subject(person: SandboxPerson): TokenSubject {
    return { objectId: person.objectId, tenantId: this.tenantId, userPrincipalName: person.userPrincipalName, displayName: person.displayName };
  }

  private tokenResponse(key: TokenKey, connection: OAuthConnection, token: IssuedToken): TokenResponse {
    return { channelId: key.channelId, connectionName: connection.name, token: token.token, expiration: token.expiration };
  }

  private person(userId: string): SandboxPerson | undefined {
    return this.peopleByUserId.get(userId.toLowerCase());
  }

  private connection(name: string): { readonly kind: 'connection'; readonly connection: OAuthConnection } | ServiceError {
    const connection = this.connectionsByName.get(name.toLowerCase());
    return connection ? { kind: 'connection', connection } : badRequest(`The bot has no OAuth connection named "${name}".`);
  }
}

/** Where the sign-in links point, below the service's origin; the id of the sign-in follows. */
export const SIGN_IN_PAGE_PATH = '/sandbox/signin/';

const EXCHANGE_REFUSALS: Readonly<Record<TokenRefusal, string>> = {
  malformed: 'it is not a JWT',
  badSignature: 'its signature is not valid',
  notYetValid: 'it is not valid yet',
  expired: 'it has expired',
  notDelegated: 'it names no user',
  wrongAudience: "its audience is not the connection's Token Exchange URL",
  wrongTenant: 'it was issued in another tenant',
};

function badRequest(message: string): ServiceError {
  return { kind: 'error', status: 400, code: 'BadArgument', message };
}

function decodeState(state: string): unknown {
  try {
    return JSON.parse(Buffer.from(state, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The sandbox matches channel user ids and connection names without regard to case. */
function sessionKey(key: TokenKey): string {
  return JSON.stringify([key.userId.toLowerCase(), key.connectionName.toLowerCase(), key.channelId.toLowerCase()]);
}

function sameText(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
