/** botbuilder's own ConversationState over the store's Storage: state survives a restart of the store. */
import { ConversationState, TestAdapter, type TurnContext } from 'botbuilder';
import { sqliteHarness, trackStores } from './support/harness';

describe('botbuilder ConversationState over the store', () => {
  const stores = trackStores();
  const harness = sqliteHarness();
  afterAll(async () => {
    await stores.closeAll();
    await harness.dispose();
  });

  async function countTurn(storage: ConversationState['storage'], text: string): Promise<number> {
    const state = new ConversationState(storage);
    const counter = state.createProperty<number>('turns');
    let seen = 0;
    const adapter = new TestAdapter(async (context: TurnContext) => {
      seen = (await counter.get(context, 0)) + 1;
      await counter.set(context, seen);
      await state.saveChanges(context);
      await context.sendActivity(`turn ${seen}`);
    });
    let reply: string | undefined;
    await adapter.send(text).assertReply((activity) => {
      reply = activity.text;
    });
    expect(reply).toBe(`turn ${seen}`);
    return seen;
  }

  it('keeps the conversation’s state across store restarts', async () => {
    const first = await stores.open(harness);
    expect(await countTurn(first.botStorage, 'hello')).toBe(1);
    expect(await countTurn(first.botStorage, 'again')).toBe(2);
    await first.close();
    const reopened = await stores.open(harness);
    expect(await countTurn(reopened.botStorage, 'after restart')).toBe(3);
  });
});
