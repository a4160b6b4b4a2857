import type { TurnContext } from 'botbuilder';
import type { Actor } from '../domain/actor';
import { NO_IDENTITY_MESSAGE, actorOf } from './turn';

/** The text after a command keyword: `status  Contoso Sales ` → `Contoso Sales`. */
export function argumentsAfter(text: string | undefined, keyword: RegExp): string {
  return (text ?? '').trim().replace(keyword, '').trim();
}

/**
 * `<command> <policy name>` from someone Teams identifies (`bind`, `check`): the actor and the name, or
 * undefined once the user has been told what is missing.
 */
export async function policyCommandInput(
  context: TurnContext,
  command: RegExp,
  usage: string,
): Promise<{ readonly actor: Actor; readonly policyName: string } | undefined> {
  const policyName = argumentsAfter(context.activity.text, command);
  const actor = actorOf(context);
  if (!actor) {
    await context.sendActivity(NO_IDENTITY_MESSAGE);
    return undefined;
  }
  if (policyName === '') {
    await context.sendActivity(`Which policy? Type \`${usage}\`.`);
    return undefined;
  }
  return { actor, policyName };
}
