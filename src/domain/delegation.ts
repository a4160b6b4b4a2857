/**
 * A person's own delegated access to Microsoft Graph for one call (issue 19): the token the Bot Framework
 * token service handed the bot for the approver who clicked. Opaque everywhere but the Graph adapter, which
 * sends it instead of the app's credential for that call only; it is never stored, and it prints as a
 * placeholder wherever it is logged or serialised by mistake.
 */
export class DelegatedCredential {
  readonly #token: string;

  constructor(token: string) {
    this.#token = token;
  }

  /** The bearer token: for the Graph adapter's Authorization header, nothing else. */
  bearerToken(): string {
    return this.#token;
  }

  toJSON(): string {
    return '[delegated credential]';
  }

  toString(): string {
    return '[delegated credential]';
  }
}

/** How a call that may act as a person is made: with their credential, or (absent) as the application. */
export interface ActingAs {
  readonly as?: DelegatedCredential;
}
