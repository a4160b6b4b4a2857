/**
 * The Bot Framework token service's wire format on loopback, for the sandbox bot's `OAuthUrl`: the routes
 * botbuilder's UserTokenClientImpl / TokenApiClient call (botframework-connector 4.23, tokenApi/operations),
 * the sign-in page its sign-in links open, and the SSO token Teams would hold (the sandbox plays Teams there).
 *
 *   GET    /api/usertoken/GetToken?userId&connectionName&channelId[&code]     200 TokenResponse | 404 (not signed in)
 *   POST   /api/usertoken/GetAadTokens?userId&connectionName&channelId        {resourceUrls} → {url: TokenResponse}
 *   DELETE /api/usertoken/SignOut?userId&channelId[&connectionName]           204
 *   GET    /api/usertoken/GetTokenStatus?userId&channelId[&include]           200 TokenStatus[]
 *   POST   /api/usertoken/exchange?userId&connectionName&channelId            {token} → 200 TokenResponse | 400
 *   GET    /api/botsignin/GetSignInResource?state[&finalRedirect…]            200 SignInUrlResponse
 *   GET    /api/botsignin/GetSignInUrl?state[&finalRedirect…]                 200 the link (a JSON string)
 *   GET    /sandbox/signin/{id}   the sign-in page;   POST it: signed in, the page shows the code
 *   GET    /sandbox/sso?userId&connectionName                                  {token}: Teams' SSO token
 *
 * Errors are the service's ErrorResponse, `{"error":{"code","message"}}`. The real service requires the bot's
 * own token; a bot without an app id (the sandbox's) sends none, and this listens on loopback only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../requestBody';
import { SIGN_IN_PAGE_PATH, type SandboxTokenService, type ServiceError, type SignInPage, type TokenAnswer, type TokenKey } from './tokenService';

/** The stub's half of a server: mount it where the emulator answers requests (see `handles`). */
export interface TokenServiceHandler {
  /** Whether this request is for the token service (its paths never start with Graph's /v1.0 or /beta). */
  handles(request: IncomingMessage): boolean;
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
}

interface Reply {
  readonly status: number;
  readonly contentType?: string;
  readonly body?: string;
}

const OWNED_PATH = /^\/(api\/usertoken|api\/botsignin|sandbox\/signin|sandbox\/sso)(\/|$)/i;
const MAX_BODY_BYTES = 64 * 1024;

export function createTokenServiceHandler(service: SandboxTokenService): TokenServiceHandler {
  return {
    handles: (request) => OWNED_PATH.test(pathOf(request)),
    handle: async (request, response) => {
      let reply: Reply;
      try {
        const body = await readBody(request, MAX_BODY_BYTES);
        reply = body === undefined ? errorReply({ kind: 'error', status: 400, code: 'BadArgument', message: 'The request body is too large.' }) : route(service, request, body);
      } catch (error) {
        reply = json(500, { error: { code: 'ServiceError', message: String(error) } });
      }
      response.writeHead(reply.status, reply.contentType ? { 'Content-Type': reply.contentType } : {});
      response.end(reply.body);
    },
  };
}

/** The stub on its own loopback port (tests; or a process that serves nothing else). */
export async function startTokenServiceServer(service: SandboxTokenService, port = 0): Promise<{ readonly url: string; close(): Promise<void> }> {
  const handler = createTokenServiceHandler(service);
  const server = createServer((request, response) => {
    if (handler.handles(request)) void handler.handle(request, response);
    else {
      response.writeHead(404, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ error: { code: 'NotFound', message: 'No such route.' } }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function route(service: SandboxTokenService, request: IncomingMessage, rawBody: string): Reply {
  const url = new URL(request.url ?? '/', 'http://token-service.invalid');
  const path = url.pathname.toLowerCase();
  const method = request.method ?? 'GET';
  const query = url.searchParams;
  /** The 400 for missing query parameters, if any are. */
  const need = (...names: string[]): Reply | undefined => {
    const missing = names.filter((name) => !query.get(name));
    return missing.length > 0 ? errorReply({ kind: 'error', status: 400, code: 'BadArgument', message: `Missing query parameter ${missing.join(', ')}.` }) : undefined;
  };
  const key = (): TokenKey => ({ userId: query.get('userId') ?? '', connectionName: query.get('connectionName') ?? '', channelId: query.get('channelId') ?? '' });

  if (path.startsWith(SIGN_IN_PAGE_PATH)) return signInPageRoute(service, method, decodeURIComponent(url.pathname.slice(SIGN_IN_PAGE_PATH.length)));
  const expected = ROUTE_METHODS[path];
  if (expected === undefined) return errorReply({ kind: 'error', status: 404, code: 'NotFound', message: `No such route: ${url.pathname}.` });
  if (method !== expected) return { status: 405 };

  switch (path) {
    case '/api/usertoken/gettoken':
      return need('userId', 'connectionName', 'channelId') ?? tokenReply(service.getToken(key(), query.get('code') ?? undefined));
    case '/api/usertoken/exchange':
      return need('userId', 'connectionName', 'channelId') ?? bodyOf(rawBody, (body) => tokenReply(service.exchange(key(), body)));
    case '/api/usertoken/getaadtokens':
      return need('userId', 'connectionName', 'channelId') ?? bodyOf(rawBody, (body) => {
        const answer = service.aadTokens(key(), body);
        return answer.kind === 'error' ? errorReply(answer) : json(200, answer.tokens);
      });
    case '/api/usertoken/signout': {
      const missing = need('userId', 'channelId');
      if (missing) return missing;
      service.signOut(query.get('userId') ?? '', query.get('channelId') ?? '', query.get('connectionName') || undefined);
      return { status: 204 };
    }
    case '/api/usertoken/gettokenstatus':
      return need('userId', 'channelId') ?? json(200, service.tokenStatus(query.get('userId') ?? '', query.get('channelId') ?? '', query.get('include') ?? undefined));
    case '/api/botsignin/getsigninresource':
    case '/api/botsignin/getsigninurl': {
      const missing = need('state');
      if (missing) return missing;
      const answer = service.signInResource(query.get('state') ?? '', originOf(request));
      if (answer.kind === 'error') return errorReply(answer);
      // botbuilder reads GetSignInUrl's answer as JSON (a String body mapper): a quoted string.
      return json(200, path === '/api/botsignin/getsigninurl' ? answer.resource.signInLink : answer.resource);
    }
    case '/sandbox/sso': {
      const missing = need('userId', 'connectionName');
      if (missing) return missing;
      const token = service.ssoTokenFor(query.get('userId') ?? '', query.get('connectionName') ?? '');
      return token ? json(200, { token }) : errorReply({ kind: 'error', status: 404, code: 'NotFound', message: 'No such sandbox person or connection.' });
    }
    default:
      return errorReply({ kind: 'error', status: 404, code: 'NotFound', message: `No such route: ${url.pathname}.` });
  }
}

const ROUTE_METHODS: Readonly<Record<string, string>> = {
  '/api/usertoken/gettoken': 'GET',
  '/api/usertoken/exchange': 'POST',
  '/api/usertoken/getaadtokens': 'POST',
  '/api/usertoken/signout': 'DELETE',
  '/api/usertoken/gettokenstatus': 'GET',
  '/api/botsignin/getsigninresource': 'GET',
  '/api/botsignin/getsigninurl': 'GET',
  '/sandbox/sso': 'GET',
};

/** The real service answers "not signed in" with a 404 (GetToken and exchange list 404 with a TokenResponse body mapper). */
function tokenReply(answer: TokenAnswer): Reply {
  switch (answer.kind) {
    case 'token':
      return json(200, answer.response);
    case 'notSignedIn':
      return { status: 404 };
    case 'error':
      return errorReply(answer);
  }
}

function signInPageRoute(service: SandboxTokenService, method: string, id: string): Reply {
  if (method === 'GET') return page(service.signInPage(id));
  if (method === 'POST') return page(service.completeSignIn(id));
  return { status: 405 };
}

function page(state: SignInPage): Reply {
  const status = state.kind === 'ready' || state.kind === 'signedIn' ? 200 : state.kind === 'expired' ? 410 : 404;
  return { status, contentType: 'text/html; charset=utf-8', body: signInHtml(state) };
}

/** The page the sign-in link opens: one button instead of Entra's sign-in, then the code, as the Bot Framework's page shows it. */
function signInHtml(state: SignInPage): string {
  const frame = (title: string, content: string): string =>
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1>${content}</main></body></html>`;
  switch (state.kind) {
    case 'ready':
      return frame('Sandbox sign-in',
        `<p>Sign in to the connection <strong>${escapeHtml(state.connectionName)}</strong> as <strong>${escapeHtml(state.person.displayName)}</strong> (${escapeHtml(state.person.userPrincipalName)}).</p>` +
        '<form method="post"><button type="submit">Sign in</button></form>');
    case 'signedIn':
      return frame('Signed in',
        `<p>${escapeHtml(state.person.displayName)} is signed in to <strong>${escapeHtml(state.connectionName)}</strong>. Enter this code in the chat to finish:</p>` +
        `<p><output id="code">${escapeHtml(state.code)}</output></p>`);
    case 'unknownLink':
      return frame('Sign-in not found', '<p>This sign-in link is not known to the sandbox (it may be from an earlier run). Start the sign-in again from the chat.</p>');
    case 'expired':
      return frame('Sign-in expired', '<p>This sign-in link has expired. Start the sign-in again from the chat.</p>');
    case 'unknownPerson':
      return frame('Unknown person', `<p>No sandbox person has the channel id ${escapeHtml(state.userId)}, so nobody can sign in with this link.</p>`);
  }
}

function bodyOf(rawBody: string, use: (body: unknown) => Reply): Reply {
  try {
    return use(rawBody === '' ? undefined : JSON.parse(rawBody));
  } catch {
    return errorReply({ kind: 'error', status: 400, code: 'BadArgument', message: 'The request body is not JSON.' });
  }
}

function errorReply(error: ServiceError): Reply {
  return json(error.status, { error: { code: error.code, message: error.message } });
}

function json(status: number, value: unknown): Reply {
  return { status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(value) };
}

/** Sign-in links name the host the bot called, so they work on whichever loopback port the stub is mounted. */
function originOf(request: IncomingMessage): string {
  return `http://${request.headers.host ?? '127.0.0.1'}`;
}

function pathOf(request: IncomingMessage): string {
  return new URL(request.url ?? '/', 'http://token-service.invalid').pathname;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
