/**
 * The signed-in approver's delegated credential, held on the turn (never longer): put there by the bot's
 * routes after teams-ai's sign-in step, read by the handlers that act in Intune as the approver.
 */
import type { TurnState } from '@microsoft/teams-ai/lib/TurnState';
import { INVOKE_RESPONSE_KEY, type TurnContext } from 'botbuilder';
import { DelegatedCredential } from '../domain/delegation';

const CREDENTIAL_KEY = Symbol('delegated credential');

/** After teams-ai's sign-in step: keep the person's token on the turn for the handler (the turn only). */
export function takeDelegatedCredential(context: TurnContext, state: TurnState, connectionName: string): void {
  const token = state.temp.authTokens?.[connectionName];
  if (token) context.turnState.set(CREDENTIAL_KEY, new DelegatedCredential(token));
}

/** The signed-in approver's credential for this turn, if they signed in. */
export function delegatedCredentialOf(context: TurnContext): DelegatedCredential | undefined {
  const credential: unknown = context.turnState.get(CREDENTIAL_KEY);
  return credential instanceof DelegatedCredential ? credential : undefined;
}

/** Whether this turn was answered already (a sign-in step answered the click): its handler must not answer again. */
export function alreadyAnswered(context: TurnContext): boolean {
  return context.turnState.get(INVOKE_RESPONSE_KEY) !== undefined;
}
