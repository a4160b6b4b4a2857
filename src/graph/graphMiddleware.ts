/**
 * Middleware for @microsoft/microsoft-graph-client's chain. The library's AuthenticationHandler attaches the
 * token only to https Graph hosts (or https `customHosts`), so a plain-http sandbox on loopback would get none;
 * this handler attaches it to exactly one configured origin instead, whatever its scheme, and never elsewhere.
 */
import type { Context, Middleware, MiddlewareOptions } from '@microsoft/microsoft-graph-client';
import type { DelegatedCredential } from '../domain/delegation';

export interface GraphAttempt {
  readonly method: string;
  readonly url: string;
  /** 0 when no response arrived. */
  readonly status: number;
  readonly requestId: string | undefined;
  readonly clientRequestId: string | undefined;
}

abstract class ChainLink implements Middleware {
  private next: Middleware | undefined;

  setNext(next: Middleware): void {
    this.next = next;
  }

  protected forward(context: Context): Promise<void> {
    if (!this.next) throw new Error(`${this.constructor.name} must not be the last middleware.`);
    return this.next.execute(context);
  }

  abstract execute(context: Context): Promise<void>;
}

/** A per-request option: send this person's delegated token instead of the app's (one call, its retries). */
export class CallerToken implements MiddlewareOptions {
  constructor(readonly credential: DelegatedCredential) {}
}

function callerTokenOf(context: Context): DelegatedCredential | undefined {
  const option = context.middlewareControl?.getMiddlewareOptions(CallerToken);
  return option instanceof CallerToken ? option.credential : undefined;
}

export class ScopedBearerTokenHandler extends ChainLink {
  constructor(
    private readonly origin: string,
    private readonly token: () => Promise<string>,
  ) {
    super();
  }

  override async execute(context: Context): Promise<void> {
    const headers = headersOf(context);
    if (new URL(urlOf(context)).origin === this.origin) {
      headers.Authorization = `Bearer ${callerTokenOf(context)?.bearerToken() ?? (await this.token())}`;
    } else {
      delete headers.Authorization;
    }
    return this.forward(context);
  }
}

/** Sits after the RetryHandler so that every attempt (each 429 included) is reported. */
export class AttemptObserver extends ChainLink {
  constructor(private readonly observe: (attempt: GraphAttempt) => void) {
    super();
  }

  override async execute(context: Context): Promise<void> {
    try {
      await this.forward(context);
    } finally {
      const response = context.response;
      this.observe({
        method: context.options?.method ?? 'GET',
        url: urlOf(context),
        status: response?.status ?? 0,
        requestId: response?.headers.get('request-id') ?? undefined,
        clientRequestId: headersOf(context)['client-request-id'],
      });
    }
  }
}

const TIMEOUT_NAME = 'TimeoutError';

/**
 * Gives every attempt (each retry included, as it sits after the RetryHandler) its own deadline. The signal
 * stays armed while the caller reads the body, so a body that stalls after the headers times out too.
 */
export class AttemptTimeout extends ChainLink {
  constructor(private readonly timeoutMs: number) {
    super();
  }

  override async execute(context: Context): Promise<void> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    (context.options ??= {}).signal = signal;
    try {
      await this.forward(context);
    } catch (error) {
      // The client library keeps an Error's name as its `code`, but drops fetch's DOMException (another realm
      // under test runners) without one: hand it a plain Error with the name.
      if (signal.aborted) throw Object.assign(new Error(`no answer within ${this.timeoutMs} ms`), { name: TIMEOUT_NAME });
      throw error;
    }
  }
}

/**
 * Reads the body of a 429 or 5xx answer to the end as it arrives and hands on a buffered copy. The library's
 * RetryHandler sends the retry without touching the failed answer's body; left unread, that body holds its
 * connection until garbage collection, so each retry would open another one. Sits after AttemptTimeout, so a
 * body that stalls still meets the attempt's deadline.
 */
export class ErrorBodyDrain extends ChainLink {
  override async execute(context: Context): Promise<void> {
    await this.forward(context);
    const response = context.response;
    if (!response || (response.status !== 429 && response.status < 500)) return;
    const body = await response.arrayBuffer();
    context.response = new Response(body.byteLength > 0 ? body : null, { status: response.status, statusText: response.statusText, headers: response.headers });
  }
}

/** An attempt's deadline passed: from the chain (wrapped by the client library) or while reading the body. */
export function isTimeout(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code } = error as { readonly name?: unknown; readonly code?: unknown };
  return name === TIMEOUT_NAME || code === TIMEOUT_NAME;
}

function urlOf(context: Context): string {
  // A Request object otherwise (graph-client's RequestInfo); its `url` is all that is read here.
  const request: unknown = context.request;
  return typeof request === 'string' ? request : String((request as { readonly url?: unknown }).url);
}

/** GraphRequest always passes its headers as a plain object; keep it one. */
function headersOf(context: Context): Record<string, string> {
  const options = (context.options ??= {});
  if (options.headers === undefined) options.headers = {};
  if (options.headers instanceof Headers || Array.isArray(options.headers)) {
    options.headers = Object.fromEntries(new Headers(options.headers).entries());
  }
  return options.headers as Record<string, string>;
}
