/**
 * Delegated Microsoft Graph tokens of the sandbox: what the sandbox token service hands the bot for a signed-in
 * person, and how the Graph emulator tells such a token from an app-only one, a forged one or an expired one.
 * Shaped like Entra v1 access tokens for Graph (`aud`, `iss`, `tid`, `oid`, `upn`, `scp` space-separated,
 * `appid`); only the signature differs (see sandboxJwt.ts).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { callerKindOf } from '../../graph/graphCredential';
import type { SandboxJwtSigner, JwtRefusal } from './sandboxJwt';

/** Graph's audience as Entra writes it into v1 tokens; v2 tokens carry Graph's app id instead. */
export const GRAPH_AUDIENCES = ['https://graph.microsoft.com', '00000003-0000-0000-c000-000000000000'] as const;

/** Who a delegated token speaks for. */
export interface TokenSubject {
  /** The person's Entra object id (`oid`). */
  readonly objectId: string;
  readonly tenantId: string;
  readonly userPrincipalName: string;
  readonly displayName: string;
}

export interface TokenRequest {
  readonly subject: TokenSubject;
  /** `aud`: a Graph audience for Graph tokens, `api://botid-{id}` for Teams' SSO token. */
  readonly audience: string;
  readonly scopes: readonly string[];
  /** `appid`: the client the token was issued to. */
  readonly clientId: string;
  readonly lifetimeMs: number;
  readonly nowMs: number;
}

export interface IssuedToken {
  readonly token: string;
  /** ISO-8601, as the token service's `TokenResponse.expiration`. */
  readonly expiration: string;
  readonly expiresAtMs: number;
}

export function issueToken(signer: SandboxJwtSigner, request: TokenRequest): IssuedToken {
  const { subject } = request;
  const issuedAt = Math.floor(request.nowMs / 1000);
  const expiresAtMs = (issuedAt * 1000) + request.lifetimeMs;
  const token = signer.sign({
    aud: request.audience,
    iss: `https://sts.windows.net/${subject.tenantId}/`,
    iat: issuedAt,
    nbf: issuedAt,
    exp: Math.floor(expiresAtMs / 1000),
    appid: request.clientId,
    oid: subject.objectId,
    tid: subject.tenantId,
    upn: subject.userPrincipalName,
    name: subject.displayName,
    scp: request.scopes.join(' '),
    uti: randomUUID(),
    ver: '1.0',
  });
  return { token, expiration: new Date(expiresAtMs).toISOString(), expiresAtMs };
}

const delegatedClaims = z.object({
  aud: z.string(),
  oid: z.string().min(1),
  tid: z.string().min(1),
  upn: z.string().optional(),
  scp: z.string().trim().min(1),
});

export interface DelegatedCaller {
  readonly kind: 'delegated';
  readonly objectId: string;
  readonly tenantId: string;
  readonly userPrincipalName: string | undefined;
  readonly audience: string;
  readonly scopes: readonly string[];
}

export type TokenReading = DelegatedCaller | { readonly kind: 'refused'; readonly reason: TokenRefusal };

export type TokenRefusal = JwtRefusal | 'notDelegated' | 'wrongAudience' | 'wrongTenant';

/** A token this process issued, for `audience` and `tenantId`, with the claims of a delegated caller. */
export function readDelegatedToken(signer: SandboxJwtSigner, token: string, expected: { readonly audiences: readonly string[]; readonly tenantId: string; readonly nowMs: number }): TokenReading {
  const read = signer.read(token, expected.nowMs);
  if (!read.ok) return { kind: 'refused', reason: read.refusal };
  const claims = delegatedClaims.safeParse(read.claims);
  if (!claims.success) return { kind: 'refused', reason: 'notDelegated' };
  if (!expected.audiences.includes(claims.data.aud)) return { kind: 'refused', reason: 'wrongAudience' };
  if (claims.data.tid !== expected.tenantId) return { kind: 'refused', reason: 'wrongTenant' };
  return {
    kind: 'delegated',
    objectId: claims.data.oid,
    tenantId: claims.data.tid,
    userPrincipalName: claims.data.upn,
    audience: claims.data.aud,
    scopes: claims.data.scp.split(/\s+/),
  };
}

/** Who called the Graph emulator: the application, a signed-in person, or nobody it will answer. */
export type GraphCaller =
  | { readonly kind: 'appOnly' }
  | DelegatedCaller
  | { readonly kind: 'refused'; readonly reason: TokenRefusal; readonly code: 'InvalidAuthenticationToken'; readonly message: string };

/**
 * For the Graph emulator: a bearer that is not a JWT with `scp` stays app-only (the sandbox bot's static token,
 * as `callerKindOf` classifies it); one that claims to be delegated must be a Graph token this process issued,
 * for this tenant and still valid, or Graph's 401 is the answer. So only the token service's sign-in makes a
 * delegated caller, and a hand-made unsigned JWT with `scp` is refused, as Graph refuses it.
 */
export function graphCallerOf(authorization: string | undefined, signer: SandboxJwtSigner, expected: { readonly tenantId: string; readonly nowMs: number }): GraphCaller {
  const token = authorization?.replace(/^Bearer\s+/i, '') ?? '';
  if (callerKindOf(token) === 'appOnly') return { kind: 'appOnly' };
  const reading = readDelegatedToken(signer, token, { audiences: GRAPH_AUDIENCES, ...expected });
  if (reading.kind === 'delegated') return reading;
  return { kind: 'refused', reason: reading.reason, code: 'InvalidAuthenticationToken', message: GRAPH_REFUSALS[reading.reason] };
}

/**
 * Graph's 401 messages for a token it will not take (code InvalidAuthenticationToken). The expiry, audience and
 * parsing wordings are the ones reported from Graph (docs/graph-fidelity.md); the rest get Graph's generic one.
 */
const GRAPH_REFUSALS: Readonly<Record<TokenRefusal, string>> = {
  malformed: 'CompactToken parsing failed with error code: 80049217',
  badSignature: 'Access token validation failure.',
  notYetValid: 'Access token validation failure.',
  expired: 'Lifetime validation failed, the token is expired.',
  notDelegated: 'Access token validation failure.',
  wrongAudience: 'Access token validation failure. Invalid audience.',
  wrongTenant: 'Access token validation failure.',
};
