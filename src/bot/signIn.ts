/**
 * Acting as the approver (issue 19): approvers sign in through the Azure Bot's OAuth connection, the Teams
 * way, so Intune changes are made with their own delegated token. teams-ai runs the flow (the Universal
 * Actions `loginRequest`, the SSO token exchange and its 412, the sign-in code; the OAuth card for typed
 * commands); this module decides when a sign-in is asked for and fills teams-ai's one gap: a wrong sign-in
 * code gets `invalidAuthCode`, not another `loginRequest`.
 *
 * A sign-in is asked for only for what needs the approver's rights, and only after the requests service has
 * said this person may do it: a non-approver never sees one. The token stays in the Bot Framework token
 * service; the bot holds it for the turn only, wrapped so that it is never logged.
 */
import type { AuthenticationOptions, OAuthSettings } from '@microsoft/teams-ai/lib/authentication/Authentication';
import { getUserToken } from '@microsoft/teams-ai/lib/authentication/UserTokenAccess';
import { ActivityTypes, tokenExchangeOperationName, type TurnContext, verifyStateOperationName } from 'botbuilder';
import { z } from 'zod';
import type { RequestsService } from '../requests/types';
import { BIND_COMMAND } from './features/policies/bind';
import { REPLACE_COMMAND } from './features/policies/replace';
import { actorOf } from './turn';
import { CARD_VERBS } from './verbs';

export interface SignInConnection {
  /** The Azure Bot's OAuth connection (OAUTH_CONNECTION_NAME). */
  readonly connectionName: string;
  /** The Entra app's `api://botid-{id}`: Teams' SSO token for it is exchanged instead of a sign-in. */
  readonly tokenExchangeUri: string;
}

/** The card verbs that change Intune with the approver's rights. */
const SIGN_IN_VERBS: ReadonlySet<string> = new Set([CARD_VERBS.bindPolicy.name, CARD_VERBS.replaceGroup.name, CARD_VERBS.useBotGroup.name]);
/** The typed commands that do. */
const SIGN_IN_COMMANDS: readonly RegExp[] = [BIND_COMMAND, REPLACE_COMMAND];

const ACTION_INVOKE = 'adaptiveCard/action';
/**
 * The invokes that finish a typed command's sign-in (the OAuth card's code, Teams' SSO token). teams-ai routes
 * them to its sign-in only on a turn its sign-in step ran for (with a selector it records no "mid-sign-in").
 */
const SIGN_IN_CONTINUATIONS: ReadonlySet<string> = new Set([verifyStateOperationName, tokenExchangeOperationName]);
/** An activity's type is a plain string; botbuilder names the values as an enum. */
const INVOKE: string = ActivityTypes.Invoke;
const MESSAGE: string = ActivityTypes.Message;

/** What a click carries on the sign-in retry: Teams' SSO token, or the code the sign-in page showed. */
const signInRetry = z.object({
  action: z.object({ verb: z.string() }).passthrough().optional(),
  authentication: z.object({ token: z.string().optional() }).passthrough().optional(),
  state: z.string().optional(),
}).passthrough();

export function signInOptions(connection: SignInConnection, requests: Pick<RequestsService, 'mayBind'>): AuthenticationOptions {
  const settings: OAuthSettings = {
    connectionName: connection.connectionName,
    title: 'Sign in to make this change in Intune as yourself',
    text: 'Intune accepts this change only from a signed-in administrator.',
    enableSso: true,
    tokenExchangeUri: connection.tokenExchangeUri,
  };
  return {
    settings: { [connection.connectionName]: settings },
    default: connection.connectionName,
    autoSignIn: async (context) => {
      if (!(await needsApproverRights(context, requests))) return false;
      return redeemSignInCode(context, settings);
    },
  };
}

/** A bind (clicked or typed) by someone the requests service lets bind. */
async function needsApproverRights(context: TurnContext, requests: Pick<RequestsService, 'mayBind'>): Promise<boolean> {
  const { activity } = context;
  const asked =
    activity.type === INVOKE
      ? (activity.name === ACTION_INVOKE && SIGN_IN_VERBS.has(signInRetry.safeParse(activity.value).data?.action?.verb ?? '')) ||
        SIGN_IN_CONTINUATIONS.has(activity.name ?? '')
      : activity.type === MESSAGE && SIGN_IN_COMMANDS.some((command) => command.test(activity.text ?? ''));
  const actor = actorOf(context);
  return asked && actor !== undefined && (await requests.mayBind(actor));
}

/**
 * teams-ai answers a wrong sign-in code with another `loginRequest`; Teams expects `invalidAuthCode`. So a
 * click carrying a code (and no SSO token) has its code redeemed here first: redeemed, the person is signed
 * in and teams-ai finds their token; refused, the click is answered `invalidAuthCode` and goes no further.
 */
async function redeemSignInCode(context: TurnContext, settings: OAuthSettings): Promise<boolean> {
  if (context.activity.type !== INVOKE || context.activity.name !== ACTION_INVOKE) return true;
  const retry = signInRetry.safeParse(context.activity.value).data;
  const code = retry?.authentication?.token ? undefined : retry?.state;
  if (code === undefined || code === '') return true;
  const redeemed = await getUserToken(context, settings, code).catch(() => undefined);
  if (redeemed?.token) return true;
  await context.sendActivity({
    type: ActivityTypes.InvokeResponse,
    value: {
      status: 200,
      body: { statusCode: 401, type: 'application/vnd.microsoft.error.invalidAuthCode', value: { code: '401', message: 'The sign-in code is not valid. Sign in again.' } },
    },
  });
  return false;
}
