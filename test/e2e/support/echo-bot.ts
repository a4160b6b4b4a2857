import * as restify from 'restify';
import {
  ActivityHandler,
  ActivityTypes,
  CardFactory,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import { z } from 'zod';

/**
 * A throwaway bot that proves the browser helpers against the Playground before the real bot exists:
 * it echoes text and answers `card` with an Adaptive Card 1.5 whose Action.Execute updates the card.
 * Sandbox only: an empty app id makes CloudAdapter accept unauthenticated requests, so it binds to loopback.
 */

export const ECHO_CARD_VERB = 'echoSubmit';
/** Shown for a user the activity does not name (custom activities carry only ids). */
export const ECHO_UNNAMED_USER = '?';

const submittedData = z.object({
  nickname: z.string().default(''),
  colour: z.string().default(''),
});

export function echoCard(): Record<string, unknown> {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      { type: 'TextBlock', text: 'Echo intake', weight: 'Bolder', size: 'Medium' },
      { type: 'Input.Text', id: 'nickname', label: 'Nickname', placeholder: 'Your nickname', isRequired: true },
      {
        type: 'Input.ChoiceSet',
        id: 'colour',
        label: 'Colour',
        style: 'compact',
        value: 'red',
        choices: [
          { title: 'Red', value: 'red' },
          { title: 'Blue', value: 'blue' },
        ],
      },
    ],
    actions: [{ type: 'Action.Execute', title: 'Send it', verb: ECHO_CARD_VERB, data: {} }],
  };
}

export function echoResultCard(nickname: string, colour: string, userName: string): Record<string, unknown> {
  return {
    type: 'AdaptiveCard',
    version: '1.5',
    body: [{ type: 'TextBlock', text: `Received ${nickname} / ${colour} from ${userName}`, wrap: true }],
  };
}

class EchoBot extends ActivityHandler {
  /** Entra object ids of everyone whose card action reached the bot, in order. */
  readonly invokers: string[] = [];

  constructor() {
    super();
    this.onMessage(async (context, next) => {
      const text = (context.activity.text ?? '').replace(/<at>[^<]*<\/at>/g, '').trim();
      if (/^card$/i.test(text)) {
        await context.sendActivity({ attachments: [CardFactory.adaptiveCard(echoCard())] });
      } else {
        await context.sendActivity(`echo: ${text}`);
      }
      await next();
    });
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    const value = z
      .object({ action: z.object({ verb: z.string(), data: z.unknown() }) })
      .safeParse(context.activity.value);
    if (context.activity.name !== 'adaptiveCard/action' || !value.success || value.data.action.verb !== ECHO_CARD_VERB) {
      return { status: 400 };
    }
    const data = submittedData.parse(value.data.action.data);
    this.invokers.push(context.activity.from.aadObjectId ?? '');
    return {
      status: 200,
      body: {
        statusCode: 200,
        type: 'application/vnd.microsoft.card.adaptive',
        value: echoResultCard(data.nickname, data.colour, context.activity.from.name ?? ECHO_UNNAMED_USER),
      },
    };
  }
}

export interface RunningEchoBot {
  readonly endpoint: string;
  invokesFrom(): readonly string[];
  stop(): Promise<void>;
}

export async function startEchoBot(): Promise<RunningEchoBot> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  adapter.onTurnError = async (context, error) => {
    process.stderr.write(`echo bot turn error: ${String(error)}\n`);
    if (context.activity.type === (ActivityTypes.Message as string)) await context.sendActivity('echo bot failed');
  };
  const bot = new EchoBot();
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser());
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    endpoint: `http://127.0.0.1:${port}/api/messages`,
    invokesFrom: () => [...bot.invokers],
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
