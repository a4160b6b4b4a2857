/** OAUTH_CONNECTION_NAME (issue 19): the Azure Bot's OAuth connection approvers sign in through; optional in both modes. */
import { loadConfig, type Environment } from '../../src/app/config';
import { problemsOf } from './support/configProblems';

const sandbox: Environment = { APP_MODE: 'sandbox', GRAPH_BASE_URL: 'http://127.0.0.1:5980', APPROVER_IDS: '99999999-8888-7777-6666-555555555555' };
const production: Environment = {
  APP_MODE: 'production',
  BOT_ID: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  BOT_TENANT_ID: '11111111-2222-3333-4444-555555555555',
  BOT_PASSWORD: 's3cret-password',
  APPROVER_IDS: '99999999-8888-7777-6666-555555555555',
};

describe('OAUTH_CONNECTION_NAME', () => {
  it('is absent unless set: no sign-in, the manual path', () => {
    expect(loadConfig(production).oauthConnection).toBeUndefined();
    expect(loadConfig(sandbox).oauthConnection).toBeUndefined();
  });

  it.each([['production', production], ['sandbox', sandbox]])('names the connection in %s mode', (_mode, env) => {
    expect(loadConfig({ ...env, OAUTH_CONNECTION_NAME: 'IntuneGraph' }).oauthConnection).toEqual({ name: 'IntuneGraph' });
  });

  it('refuses a name with spaces, saying what it must be', () => {
    expect(problemsOf({ ...production, OAUTH_CONNECTION_NAME: 'Intune Graph' })).toEqual([
      'OAUTH_CONNECTION_NAME: must be the name of the Azure Bot\'s OAuth connection (no spaces) (got "Intune Graph")',
    ]);
  });
});
