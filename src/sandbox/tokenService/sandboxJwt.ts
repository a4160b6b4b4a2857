/**
 * The sandbox's own JWTs: HS256 over a secret that lives only in the emulator process, so a token the sandbox
 * token service did not issue (an unsigned JWT, one signed elsewhere, one edited after issue) is refused.
 * Real Entra tokens are RS256 with keys from the tenant's OpenID metadata; the sandbox needs no key
 * distribution because the issuer and the verifier are the same process.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

const HEADER = { alg: 'HS256', typ: 'JWT' } as const;
const ENCODED_HEADER = encodePart(HEADER);

/** Why a token was refused, in words fit for a Graph-shaped 401 or a token-service error. */
export type JwtRefusal = 'malformed' | 'badSignature' | 'notYetValid' | 'expired';

export type JwtReading = { readonly ok: true; readonly claims: Readonly<Record<string, unknown>> } | { readonly ok: false; readonly refusal: JwtRefusal };

const timedClaims = z.object({ exp: z.number(), nbf: z.number().optional() }).passthrough();

export class SandboxJwtSigner {
  private readonly secret: Buffer;

  /** A fresh random secret unless one is given (tests that restart an issuer and keep its tokens). */
  constructor(secret: Buffer = randomBytes(32)) {
    this.secret = secret;
  }

  /** `claims` must carry `exp` (and may carry `nbf`) in seconds since the epoch, as JWTs do. */
  sign(claims: Readonly<Record<string, unknown>> & { readonly exp: number }): string {
    const unsigned = `${ENCODED_HEADER}.${encodePart(claims)}`;
    return `${unsigned}.${this.signature(unsigned)}`;
  }

  /** The claims of a token this signer issued that is valid at `nowMs`; otherwise why not. */
  read(token: string, nowMs: number): JwtReading {
    const parts = token.split('.');
    if (parts.length !== 3) return { ok: false, refusal: 'malformed' };
    const [header, payload, signature] = parts;
    if (header !== ENCODED_HEADER) return { ok: false, refusal: parts[0] === '' ? 'malformed' : 'badSignature' };
    const expected = Buffer.from(this.signature(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, refusal: 'badSignature' };
    const claims = timedClaims.safeParse(decodePart(payload));
    if (!claims.success) return { ok: false, refusal: 'malformed' };
    const nowSeconds = Math.floor(nowMs / 1000);
    if (claims.data.nbf !== undefined && claims.data.nbf > nowSeconds) return { ok: false, refusal: 'notYetValid' };
    if (claims.data.exp <= nowSeconds) return { ok: false, refusal: 'expired' };
    return { ok: true, claims: claims.data };
  }

  private signature(unsigned: string): string {
    return createHmac('sha256', this.secret).update(unsigned).digest('base64url');
  }
}

function encodePart(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodePart(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}
