/** The stub's settings from the emulator process's environment, fed from the Playground's one list of people. */
import { PEOPLE } from '../../../scripts/playground-config';
import { peopleFromEnv, signInModeFromEnv } from '../../../src/sandbox/tokenService/tokenServiceEnv';

describe('token-service stub settings', () => {
  it('counts everyone as signed in unless SANDBOX_SIGN_IN=ask, and refuses anything else', () => {
    expect(signInModeFromEnv(undefined)).toBe('signedIn');
    expect(signInModeFromEnv(' ')).toBe('signedIn');
    expect(signInModeFromEnv('ask')).toBe('ask');
    expect(() => signInModeFromEnv('yes')).toThrow('SANDBOX_SIGN_IN must be "ask" or unset (everyone signed in), not "yes".');
  });

  it("reads the Agents Playground's people as start-sandbox would pass them", () => {
    const everyone = [PEOPLE.helpdeskAgent, PEOPLE.approver, ...PEOPLE.others];
    const people = peopleFromEnv(JSON.stringify(everyone));
    expect(people).toHaveLength(everyone.length);
    expect(people[1]).toEqual({ userId: '29:megan-bowen', objectId: PEOPLE.approver.aadObjectId, displayName: 'Megan Bowen', userPrincipalName: 'meganb@contoso.example' });
    expect(peopleFromEnv(undefined)).toEqual([]);
  });

  it('says what is wrong with a bad list', () => {
    expect(() => peopleFromEnv('{')).toThrow('SANDBOX_PEOPLE must be a JSON list of Agents Playground users.');
    expect(() => peopleFromEnv(JSON.stringify([{ id: '29:x', name: 'X', userPrincipleName: 'x@contoso.example', aadObjectId: 'not-a-guid' }])))
      .toThrow(/SANDBOX_PEOPLE must be a JSON list of Agents Playground users \(id, name, userPrincipleName, aadObjectId\): 0\.aadObjectId/);
  });
});
