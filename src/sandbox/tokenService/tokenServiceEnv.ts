/**
 * The token-service stub's settings from the emulator process's environment, parsed once at the edge:
 *   SANDBOX_SIGN_IN   unset: every sandbox person counts as signed in; `ask`: each signs in through the page first
 *   SANDBOX_PEOPLE    JSON list of the Agents Playground's users (scripts/playground-config.js is the one list)
 */
import { z } from 'zod';
import type { SandboxPerson, SignInMode } from './tokenService';

export function signInModeFromEnv(raw: string | undefined): SignInMode {
  if (raw === undefined || raw.trim() === '') return 'signedIn';
  if (raw === 'ask') return 'ask';
  throw new Error(`SANDBOX_SIGN_IN must be "ask" or unset (everyone signed in), not "${raw}".`);
}

/** A Playground user (its config's field names, `userPrincipleName` sic). */
const playgroundUser = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  userPrincipleName: z.string().min(1),
  aadObjectId: z.string().uuid(),
});

export function peopleFromEnv(raw: string | undefined): SandboxPerson[] {
  if (raw === undefined || raw.trim() === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new Error('SANDBOX_PEOPLE must be a JSON list of Agents Playground users.');
  }
  const users = z.array(playgroundUser).safeParse(value);
  if (!users.success) {
    throw new Error(`SANDBOX_PEOPLE must be a JSON list of Agents Playground users (id, name, userPrincipleName, aadObjectId): ${users.error.issues[0]?.path.join('.') ?? ''} ${users.error.issues[0]?.message ?? ''}`.trim());
  }
  return users.data.map((user) => ({ userId: user.id, objectId: user.aadObjectId, displayName: user.name, userPrincipalName: user.userPrincipleName }));
}
