import { join } from 'node:path';
import { E2eRun } from './support/e2e-run';
import { ECHO_CARD_VERB, ECHO_UNNAMED_USER, echoResultCard, startEchoBot, type RunningEchoBot } from './support/echo-bot';
import { playgroundConfig, startPlayground, writePlaygroundConfig, type PlaygroundUser } from './support/playground';
import { PlaygroundPage } from './support/playground-page';

/**
 * Proves the browser harness itself against a throwaway echo bot: two Playground instances act as two
 * people; messages, an @mention in a channel, card inputs, an Action.Execute click and the card update.
 */

const RESULTS_DIR = join(process.cwd(), 'test-results', 'e2e-echo');
const BOT = { id: '28:e2e-echo-bot', name: 'Echo Bot' };

function user(n: number, givenName: string, surname: string): PlaygroundUser {
  const login = `${givenName}.${surname}`.toLowerCase();
  return {
    id: `29:e2e-user-${n}`,
    name: `${givenName} ${surname}`,
    userPrincipleName: `${login}@contoso.example`,
    aadObjectId: `00000000-0000-4000-8000-00000000000${n}`,
    givenName,
    surname,
    email: `${login}@contoso.example`,
  };
}

const ROSTER = [
  user(1, 'Hana', 'Helpdesk'),
  user(2, 'Arno', 'Approver'),
  user(3, 'Megan', 'Bowen'),
  user(4, 'Adele', 'Vance'),
  user(5, 'Isaiah', 'Langer'),
  user(6, 'Patti', 'Fernandez'),
];

function configFor(me: PlaygroundUser, idPrefix: string): Record<string, unknown> {
  return playgroundConfig({
    currentUser: me,
    users: ROSTER.filter((other) => other.id !== me.id),
    idPrefix,
    botId: BOT.id,
    botName: BOT.name,
    teamName: 'IT Helpdesk',
    extraChannelName: 'Approvals',
  });
}

describe('the Playground harness, against an echo bot', () => {
  const run = new E2eRun(RESULTS_DIR);
  const { supervisor, violationsFile, workDir } = run;
  let bot: RunningEchoBot | undefined;
  let hana: PlaygroundPage;
  let arno: PlaygroundPage;

  beforeAll(async () => {
    bot = await startEchoBot();
    const [hanaPlayground, arnoPlayground] = await Promise.all(
      [ROSTER[0], ROSTER[1]].map((me, i) =>
        startPlayground(supervisor, {
          name: `playground-${i}`,
          botEndpoint: bot!.endpoint,
          configPath: writePlaygroundConfig(workDir, `person-${i}`, configFor(me, `p${i}`)),
          violationsFile,
          cwd: workDir,
        }),
      ),
    );
    const browser = await run.browser();
    const page = (url: string, person: string): Promise<PlaygroundPage> =>
      PlaygroundPage.open(browser, run.browserGuard, { url, botName: BOT.name, person, screenshotDir: RESULTS_DIR });
    hana = await page(hanaPlayground.url, 'hana');
    arno = await page(arnoPlayground.url, 'arno');
  });

  afterAll(async () => {
    await run.close();
    await bot?.stop();
  });

  it('echoes a message in the personal chat, in the chat pane', async () => {
    await hana.openConversation('Personal Chat');
    await hana.sendMessage('hello from Hana');

    const reply = await hana.waitForBotMessage('echo: hello from Hana');
    await hana.screenshot('echo');

    expect(await reply.textContent()).toContain('echo: hello from Hana');
    expect(await hana.botMessages().count()).toBe(1);
  });

  it('fills a card and executes its action; the card is replaced in place', async () => {
    await hana.sendMessage('card');
    const card = await hana.waitForCard('Echo intake');
    await hana.fillCardText(card, 'Nickname', 'hh-42');
    await hana.chooseCardOption(card, 'Colour', 'Blue');
    await hana.screenshot('card-filled');

    await hana.clickCardAction(card, 'Send it');

    const updated = await hana.waitForCard('Received hh-42 / blue from Hana Helpdesk');
    await hana.screenshot('card-updated');
    expect(await updated.textContent()).toContain('Received hh-42 / blue from Hana Helpdesk');
    expect(await hana.cards().filter({ hasText: 'Echo intake' }).count()).toBe(0);
  });

  it('acts as a second person in a channel, where the bot needs an @mention', async () => {
    await arno.openConversation('IT Helpdesk - Approvals');
    await arno.sendMentioningBot('card');
    const card = await arno.waitForCard('Echo intake');
    await arno.fillCardText(card, 'Nickname', 'arno');
    await arno.clickCardAction(card, 'Send it');

    const updated = await arno.waitForCard('Received arno / red from Arno Approver');
    await arno.screenshot('channel-card-updated');
    expect(await updated.textContent()).toContain('from Arno Approver');
  });

  it('sends a custom activity as the instance\'s own user and reads the invoke answer', async () => {
    await arno.openConversation('Personal Chat');
    const invokesBefore = bot!.invokesFrom().length;
    const answer = await arno.sendCustomInvoke('adaptiveCard/action', {
      action: { type: 'Action.Execute', verb: ECHO_CARD_VERB, data: { nickname: 'mocked', colour: 'blue' } },
    });

    await arno.screenshot('custom-invoke');
    expect(answer).toMatchObject({ statusCode: 200, value: echoResultCard('mocked', 'blue', ECHO_UNNAMED_USER) });
    expect(bot!.invokesFrom().slice(invokesBefore)).toEqual([ROSTER[1].aadObjectId]);
  });

  it('made no attempt to reach beyond loopback', () => {
    expect(run.nonLoopbackAttempts()).toEqual({ processes: [], browser: [] });
  });
});
